//! `--select` entries of the library's directional indicators.

use super::Spec;

pub(crate) const SPECS: &[Spec] = &[];
