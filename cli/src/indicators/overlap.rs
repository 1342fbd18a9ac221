//! `--select` entries of the library's overlap indicators.

use super::Spec;

pub(crate) const SPECS: &[Spec] = &[];
