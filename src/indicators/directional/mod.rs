//! Directional movement and trend-strength oscillators at TA-Lib parity: ADX, ADXR, DX, PLUS_DI, MINUS_DI, PLUS_DM, MINUS_DM, AROON, AROONOSC, CCI, WILLR, ULTOSC.
