//! Overlap studies at TA-Lib parity: BBANDS, DEMA, TEMA, WMA, TRIMA, KAMA, T3, MIDPOINT, MIDPRICE, SAR.
