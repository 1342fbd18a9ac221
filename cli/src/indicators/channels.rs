//! `--select` entries of the library's channels indicators.

use super::Spec;

pub(crate) const SPECS: &[Spec] = &[];
