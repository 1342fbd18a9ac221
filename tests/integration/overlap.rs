//! Tests of the overlap indicators: TA-Lib parity on the golden files, the
//! indicator contract, serde state, f32.
