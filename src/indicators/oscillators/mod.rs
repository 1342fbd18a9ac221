//! Momentum oscillators at TA-Lib parity: APO, PPO, BOP, CMO, MFI, MOM, ROC, ROCP, STOCH, STOCHF, STOCHRSI, TRIX.
