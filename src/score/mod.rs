//! Composite scores: folding several indicator signals into one explainable
//! 0–100 score per bar.
