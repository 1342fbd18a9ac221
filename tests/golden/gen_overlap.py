#!/usr/bin/env python3
"""Generate TA-Lib golden reference CSVs for apex-ta's overlap studies.

Purpose
-------
Computes TA-Lib's overlap studies (BBANDS, DEMA, TEMA, WMA, TRIMA, KAMA, T3,
MIDPOINT, MIDPRICE, SAR) on the four deterministic synthetic series of
gen_golden.py and writes tests/golden/overlap/<series>.csv: the columns
open,high,low,close,volume, then one column per output, named
<talibname>_<params joined by _>[_<output>] (e.g. bbands_5_2_2_0_upperband,
sar_0.02_0.2). The Rust test module tests/integration/overlap.rs compares the
streaming indicators against these values.

This script is NOT run by CI. The CSVs are committed; rerun this only when
adding columns or changing TA-Lib version.

Reference implementation: TA-Lib Python wrapper ta-lib==0.8.2 from PyPI
(the wheel bundles the TA-Lib C library), with numpy.

Exact command to rerun (from the repository root):

    python3 -m venv /tmp/talib-venv
    /tmp/talib-venv/bin/pip install ta-lib==0.8.2 numpy
    /tmp/talib-venv/bin/python tests/golden/gen_overlap.py

Determinism: the series come from gen_golden.SERIES (fixed seeds, inputs
rounded before any indicator runs); every number is written with
gen_golden.fmt (repr of the float, NaN as an empty field), so the CSVs parse
back to exactly what TA-Lib saw and produced. The script re-parses each file
and checks that, and prints the leading empty rows (lookback) per column.
"""

import os
import sys

import numpy as np
import talib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden  # noqa: E402

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "overlap")
INPUT_COLS = ["open", "high", "low", "close", "volume"]

# matype codes of the moving averages BBANDS is checked with: 0 SMA, 1 EMA,
# 2 WMA, 3 DEMA, 4 TEMA, 5 TRIMA, 6 KAMA, 8 T3 (7, MAMA, is not supported).
BBANDS_MATYPES = [0, 1, 2, 3, 4, 5, 6, 8]


def compute(o, h, l, c, v):
    out = {}
    for n, up, dn in [(5, 2.0, 2.0), (20, 1.5, 2.5)]:
        for ma in BBANDS_MATYPES:
            u, m, lo = talib.BBANDS(c, timeperiod=n, nbdevup=up, nbdevdn=dn, matype=ma)
            key = f"bbands_{n}_{up:g}_{dn:g}_{ma}"
            out[f"{key}_upperband"] = u
            out[f"{key}_middleband"] = m
            out[f"{key}_lowerband"] = lo
    for n in [30, 5, 1]:  # TA-Lib takes period 1 here (the input, copied)
        out[f"dema_{n}"] = talib.DEMA(c, timeperiod=n)
        out[f"tema_{n}"] = talib.TEMA(c, timeperiod=n)
        out[f"wma_{n}"] = talib.WMA(c, timeperiod=n)
        out[f"kama_{n}"] = talib.KAMA(c, timeperiod=n)
    for n in [30, 5, 4, 1]:  # default, odd and even (TRIMA's two formulas), 1
        out[f"trima_{n}"] = talib.TRIMA(c, timeperiod=n)
    for n, vf in [(5, 0.7), (3, 0.4), (1, 0.7)]:
        out[f"t3_{n}_{vf:g}"] = talib.T3(c, timeperiod=n, vfactor=vf)
    for n in [14, 3]:
        out[f"midpoint_{n}"] = talib.MIDPOINT(c, timeperiod=n)
        out[f"midprice_{n}"] = talib.MIDPRICE(h, l, timeperiod=n)
    for acc, mx in [(0.02, 0.2), (0.05, 0.3), (0.1, 0.05)]:
        out[f"sar_{acc:g}_{mx:g}"] = talib.SAR(h, l, acceleration=acc, maximum=mx)
    return out


def main():
    if talib.__version__ != gen_golden.EXPECTED_TALIB_VERSION:
        sys.exit(f"expected ta-lib {gen_golden.EXPECTED_TALIB_VERSION}, got {talib.__version__}")
    os.makedirs(OUT_DIR, exist_ok=True)
    lookbacks = {}
    names = None
    for name, fn in gen_golden.SERIES.items():
        o, h, l, c, v = fn()
        outs = compute(o, h, l, c, v)
        names = list(outs)
        cols = [o, h, l, c, v] + [outs[k] for k in names]
        path = os.path.join(OUT_DIR, f"{name}.csv")
        with open(path, "w", newline="\n") as f:
            f.write(",".join(INPUT_COLS + names) + "\n")
            for i in range(len(c)):
                f.write(",".join(gen_golden.fmt(col[i]) for col in cols) + "\n")
        with open(path) as f:
            rows = [r.split(",") for r in f.read().splitlines()[1:]]
        for j, col in enumerate(cols):
            parsed = np.array([float(r[j]) if r[j] else np.nan for r in rows])
            assert np.array_equal(parsed, col, equal_nan=True), (name, j)
        lookbacks[name] = {k: gen_golden.leading_nan(outs[k]) for k in names}

    series = list(gen_golden.SERIES)
    print(f"talib {talib.__version__}; leading empty rows per column:")
    print(f"{'column':34s}" + "".join(f"{n:>18s}" for n in series))
    for k in names:
        print(f"{k:34s}" + "".join(f"{lookbacks[n][k]:>18d}" for n in series))
        if len({lookbacks[n][k] for n in series}) != 1:
            print(f"WARNING: lookback of {k} differs between series")


if __name__ == "__main__":
    main()
