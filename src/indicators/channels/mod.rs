//! Indicators without a TA-Lib twin, defined as TradingView does: session VWAP, Keltner and Donchian channels, SuperTrend, Ichimoku.
