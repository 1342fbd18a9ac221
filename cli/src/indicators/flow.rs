//! `--select` entries of the library's flow indicators.

use super::Spec;

pub(crate) const SPECS: &[Spec] = &[];
