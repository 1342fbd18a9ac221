//! Tests of the flow_statistics indicators: TA-Lib parity on the golden files, the
//! indicator contract, serde state, f32.
