//! `--select` entries of the library's oscillators indicators.

use super::Spec;

pub(crate) const SPECS: &[Spec] = &[];
