//! Tests of the channel indicators (no TA-Lib twin): values worked out
//! independently, the indicator contract, serde state, f32.
