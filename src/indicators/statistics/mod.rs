//! Rolling statistics at TA-Lib parity: VAR, LINEARREG, LINEARREG_SLOPE, BETA, CORREL.
