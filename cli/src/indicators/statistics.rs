//! `--select` entries of the library's statistics indicators.

use super::Spec;

pub(crate) const SPECS: &[Spec] = &[];
