//! Volume flow at TA-Lib parity: AD, ADOSC, OBV.
