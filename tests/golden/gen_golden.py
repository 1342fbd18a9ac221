#!/usr/bin/env python3
"""Generate TA-Lib golden reference CSVs for the apex-ta test suite.

Purpose
-------
Produces deterministic synthetic OHLCV series and the outputs of a set of
TA-Lib indicators on them, written as CSV files next to this script
(tests/golden/<series>.csv). The Rust tests compare apex-ta's streaming
indicators against these reference values.

This script is NOT run by CI. The CSVs are committed; rerun this only when
adding series/columns or changing TA-Lib version.

Reference implementation: TA-Lib Python wrapper ta-lib==0.8.2 from PyPI
(the wheel bundles the TA-Lib C library), with numpy.

Exact command to rerun (from the repository root):

    python3 -m venv /tmp/talib-venv
    /tmp/talib-venv/bin/pip install ta-lib==0.8.2 numpy
    /tmp/talib-venv/bin/python tests/golden/gen_golden.py

Determinism: all randomness comes from numpy.random.default_rng with fixed
seeds; nothing depends on time/date. Prices are rounded to 4 decimals (8 for
small_prices, see series_small_prices) and
volumes to integers BEFORE computing indicators, and every number is written
with repr(float(x)), so the CSV inputs parse back to exactly the f64 arrays
TA-Lib saw and the outputs round-trip exactly. NaN is written as an empty field.

The script also prints (and asserts consistency of) the number of leading
empty rows per column per series, i.e. the observed lookbacks.
"""

import math
import os
import sys

import numpy as np
import talib

EXPECTED_TALIB_VERSION = "0.8.2"
N_BARS = 600
OUT_DIR = os.path.dirname(os.path.abspath(__file__))

INPUT_COLS = ["open", "high", "low", "close", "volume"]
OUTPUT_COLS = [
    "sma_5", "sma_20", "ema_5", "ema_20", "rsi_2", "rsi_14",
    "macd_12_26_9", "macdsignal_12_26_9", "macdhist_12_26_9",
    "macd_5_13_4", "macdsignal_5_13_4", "macdhist_5_13_4",
    "trange", "atr_5", "atr_14", "natr_14",
    "stddev_5", "stddev_20", "max_20", "min_20", "max_5", "min_5",
]


# ---------------------------------------------------------------- series ----

def _ohlcv_from_close(rng, close, prev_close0, intrabar_vol, vol_base=1e6):
    """Build open/high/low/volume around a close path.

    open is near the previous close; high/low extend beyond max/min(open,close)
    by random positive amounts proportional to price.
    """
    n = len(close)
    prev = np.concatenate(([prev_close0], close[:-1]))
    open_ = prev * np.exp(rng.normal(0.0, intrabar_vol * 0.3, n))
    hi_ext = np.abs(rng.normal(0.0, intrabar_vol * 0.5, n)) + 1e-4 * intrabar_vol
    lo_ext = np.abs(rng.normal(0.0, intrabar_vol * 0.5, n)) + 1e-4 * intrabar_vol
    high = np.maximum(open_, close) * (1.0 + hi_ext)
    low = np.minimum(open_, close) * (1.0 - lo_ext)
    volume = vol_base * np.exp(rng.normal(0.0, 0.35, n))
    spikes = rng.random(n) < 0.04
    volume = np.where(spikes, volume * rng.uniform(2.0, 3.0, n), volume)
    return open_, high, low, volume


def _random_walk_close(rng, start, vol, n):
    return start * np.exp(np.cumsum(rng.normal(0.0, vol, n)))


def _finalize(open_, high, low, close, volume, decimals=4):
    """Round to exact inputs and re-establish OHLC invariants after rounding."""
    o = np.round(open_, decimals)
    c = np.round(close, decimals)
    h = np.round(high, decimals)
    l = np.round(low, decimals)
    h = np.maximum(h, np.maximum(o, c))
    l = np.minimum(l, np.minimum(o, c))
    v = np.round(volume).astype(np.float64)
    return [np.ascontiguousarray(x, dtype=np.float64) for x in (o, h, l, c, v)]


def series_random_walk():
    rng = np.random.default_rng(20240101)
    close = _random_walk_close(rng, 100.0, 0.012, N_BARS)
    o, h, l, v = _ohlcv_from_close(rng, close, 100.0, 0.012)
    return _finalize(o, h, l, close, v)


def series_gap100():
    rng = np.random.default_rng(20240202)
    close = _random_walk_close(rng, 100.0, 0.012, N_BARS)
    o, h, l, v = _ohlcv_from_close(rng, close, 100.0, 0.012)
    # At bar 300 every price jumps by 100x (e.g. unadjusted reverse split /
    # different units) and the walk continues from there.
    for arr in (o, h, l, close):
        arr[300:] *= 100.0
    return _finalize(o, h, l, close, v)


def series_flat_then_moving():
    rng = np.random.default_rng(20240303)
    n_flat = 120
    n_move = N_BARS - n_flat
    close_m = _random_walk_close(rng, 50.0, 0.012, n_move)
    o_m, h_m, l_m, v_m = _ohlcv_from_close(rng, close_m, 50.0, 0.012)
    flat = np.full(n_flat, 50.0)
    o = np.concatenate((flat, o_m))
    h = np.concatenate((flat, h_m))
    l = np.concatenate((flat, l_m))
    c = np.concatenate((flat, close_m))
    v = np.concatenate((np.full(n_flat, 1000.0), v_m))
    return _finalize(o, h, l, c, v)


def series_small_prices():
    rng = np.random.default_rng(20240404)
    close = _random_walk_close(rng, 0.01, 0.03, N_BARS)
    o, h, l, v = _ohlcv_from_close(rng, close, 0.01, 0.03)
    # NOTE: rounded to 8 decimals, not 4. At 4 decimals a 0.01 price has only
    # ~100 ticks (1 tick ~ 1% of price): closes repeat constantly, windows go
    # flat, and the series stops exercising relative precision. 8 decimals at
    # 0.01 gives the same ~6 significant digits as 4 decimals at 100. Inputs
    # are still exact (repr round-trips).
    out = _finalize(o, h, l, close, v, decimals=8)
    assert (out[2] > 0).all(), "small_prices: non-positive low after rounding"
    return out


SERIES = {
    "random_walk": series_random_walk,
    "gap100": series_gap100,
    "flat_then_moving": series_flat_then_moving,
    "small_prices": series_small_prices,
}


# ------------------------------------------------------------ indicators ----

def compute(o, h, l, c, v):
    out = {}
    out["sma_5"] = talib.SMA(c, 5)
    out["sma_20"] = talib.SMA(c, 20)
    out["ema_5"] = talib.EMA(c, 5)
    out["ema_20"] = talib.EMA(c, 20)
    out["rsi_2"] = talib.RSI(c, 2)
    out["rsi_14"] = talib.RSI(c, 14)
    m, s, hst = talib.MACD(c, fastperiod=12, slowperiod=26, signalperiod=9)
    out["macd_12_26_9"], out["macdsignal_12_26_9"], out["macdhist_12_26_9"] = m, s, hst
    m, s, hst = talib.MACD(c, fastperiod=5, slowperiod=13, signalperiod=4)
    out["macd_5_13_4"], out["macdsignal_5_13_4"], out["macdhist_5_13_4"] = m, s, hst
    out["trange"] = talib.TRANGE(h, l, c)
    out["atr_5"] = talib.ATR(h, l, c, 5)
    out["atr_14"] = talib.ATR(h, l, c, 14)
    out["natr_14"] = talib.NATR(h, l, c, 14)
    out["stddev_5"] = talib.STDDEV(c, 5, nbdev=1)
    out["stddev_20"] = talib.STDDEV(c, 20, nbdev=1)
    out["max_20"] = talib.MAX(c, 20)
    out["min_20"] = talib.MIN(c, 20)
    out["max_5"] = talib.MAX(c, 5)
    out["min_5"] = talib.MIN(c, 5)
    return out


def fmt(x):
    x = float(x)
    if math.isnan(x):
        return ""
    assert math.isfinite(x), x
    return repr(x)


def leading_nan(a):
    n = 0
    for x in a:
        if math.isnan(x):
            n += 1
        else:
            break
    # After the lookback there must be no further NaNs.
    assert not np.isnan(a[n:]).any(), "NaN after lookback"
    return n


def main():
    if talib.__version__ != EXPECTED_TALIB_VERSION:
        sys.exit(f"expected ta-lib {EXPECTED_TALIB_VERSION}, got {talib.__version__}")
    lookbacks = {}
    for name, fn in SERIES.items():
        o, h, l, c, v = fn()
        assert len(c) == N_BARS
        assert (h >= l).all() and (o >= l).all() and (o <= h).all()
        assert (c >= l).all() and (c <= h).all() and (v >= 0).all()
        outs = compute(o, h, l, c, v)
        cols = [o, h, l, c, v] + [outs[k] for k in OUTPUT_COLS]
        path = os.path.join(OUT_DIR, f"{name}.csv")
        with open(path, "w", newline="\n") as f:
            f.write(",".join(INPUT_COLS + OUTPUT_COLS) + "\n")
            for i in range(N_BARS):
                f.write(",".join(fmt(col[i]) for col in cols) + "\n")
        # Round-trip check: parsing the CSV must give back the exact arrays.
        with open(path) as f:
            rows = f.read().splitlines()[1:]
        for j, col in enumerate(cols):
            parsed = np.array([float(r.split(",")[j]) if r.split(",")[j] else np.nan
                               for r in rows])
            assert np.array_equal(parsed, col, equal_nan=True), (name, j)
        lookbacks[name] = {k: leading_nan(outs[k]) for k in OUTPUT_COLS}

    # Report lookbacks (leading empty rows) per column per series.
    names = list(SERIES)
    print(f"talib {talib.__version__}; leading empty rows per column:")
    print(f"{'column':22s}" + "".join(f"{n:>18s}" for n in names))
    for k in OUTPUT_COLS:
        print(f"{k:22s}" + "".join(f"{lookbacks[n][k]:>18d}" for n in names))
    for k in OUTPUT_COLS:
        vals = {lookbacks[n][k] for n in names}
        if len(vals) != 1:
            print(f"WARNING: lookback of {k} differs between series: {vals}")


if __name__ == "__main__":
    main()
