#!/usr/bin/env python3
"""Generate TA-Lib golden reference CSVs for apex-ta's directional family.

Purpose
-------
Writes tests/golden/directional/<series>.csv for the four synthetic OHLCV
series of gen_golden.py (same inputs, bit for bit): the input columns
open,high,low,close,volume followed by TA-Lib 0.8.2's outputs of the
directional-movement and trend-strength indicators, PLUS_DM, MINUS_DM,
PLUS_DI, MINUS_DI, DX, ADX, ADXR, AROON, AROONOSC, CCI, WILLR and ULTOSC,
each with its default parameters and at least one short set (period 1 where
TA-Lib accepts it, since it has its own code path there; ULTOSC also with
its periods out of order, which TA-Lib sorts). Column names are
<talibname>_<params joined by _>[_<output>], e.g. adx_14,
aroon_14_aroondown, ultosc_7_14_28. tests/integration/directional.rs
compares apex-ta's streaming indicators against these values.

Not run by CI: the CSVs are committed. Rerun only when adding columns or
changing the TA-Lib version.

Reference implementation: TA-Lib Python wrapper ta-lib==0.8.2 from PyPI (the
wheel bundles the TA-Lib C library; its unstable periods are 0), with numpy.

Exact command to rerun (from the repository root):

    python3 -m venv /tmp/talib-venv
    /tmp/talib-venv/bin/pip install ta-lib==0.8.2 numpy
    /tmp/talib-venv/bin/python tests/golden/gen_directional.py

Every number is written with repr(float(x)) (gen_golden.fmt), so parsing the
CSV gives back exactly the f64 arrays TA-Lib saw and produced; NaN (the
warm-up) is an empty field. The script prints the number of leading empty
rows per column, i.e. TA-Lib's lookbacks.
"""

import os
import sys

import numpy as np
import talib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden  # noqa: E402  (same directory)

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "directional")
INPUT_COLS = ["open", "high", "low", "close", "volume"]


def compute(o, h, l, c, v):
    """Columns in output order: name -> array."""
    out = {}
    for n in (14, 5, 1):
        out[f"plus_dm_{n}"] = talib.PLUS_DM(h, l, timeperiod=n)
        out[f"minus_dm_{n}"] = talib.MINUS_DM(h, l, timeperiod=n)
        out[f"plus_di_{n}"] = talib.PLUS_DI(h, l, c, timeperiod=n)
        out[f"minus_di_{n}"] = talib.MINUS_DI(h, l, c, timeperiod=n)
    for n in (14, 5, 2):
        out[f"dx_{n}"] = talib.DX(h, l, c, timeperiod=n)
        out[f"adx_{n}"] = talib.ADX(h, l, c, timeperiod=n)
        out[f"adxr_{n}"] = talib.ADXR(h, l, c, timeperiod=n)
    for n in (14, 5, 2):
        down, up = talib.AROON(h, l, timeperiod=n)
        out[f"aroon_{n}_aroondown"] = down
        out[f"aroon_{n}_aroonup"] = up
        out[f"aroonosc_{n}"] = talib.AROONOSC(h, l, timeperiod=n)
    for n in (14, 5, 2):
        out[f"cci_{n}"] = talib.CCI(h, l, c, timeperiod=n)
        out[f"willr_{n}"] = talib.WILLR(h, l, c, timeperiod=n)
    for p in ((7, 14, 28), (2, 3, 5), (5, 2, 3), (1, 1, 1)):
        name = "ultosc_" + "_".join(str(x) for x in p)
        out[name] = talib.ULTOSC(h, l, c, timeperiod1=p[0], timeperiod2=p[1],
                                 timeperiod3=p[2])
    return out


def main():
    if talib.__version__ != "0.8.2":
        sys.exit(f"expected ta-lib 0.8.2, got {talib.__version__}")
    os.makedirs(OUT_DIR, exist_ok=True)
    lookbacks = {}
    names = list(gen_golden.SERIES)
    columns = None
    for name in names:
        o, h, l, c, v = gen_golden.SERIES[name]()
        outs = compute(o, h, l, c, v)
        columns = list(outs)
        cols = [o, h, l, c, v] + [outs[k] for k in columns]
        path = os.path.join(OUT_DIR, f"{name}.csv")
        with open(path, "w", newline="\n") as f:
            f.write(",".join(INPUT_COLS + columns) + "\n")
            for i in range(len(c)):
                f.write(",".join(gen_golden.fmt(col[i]) for col in cols) + "\n")
        # Round trip: parsing the CSV gives back the exact arrays.
        with open(path) as f:
            rows = [r.split(",") for r in f.read().splitlines()[1:]]
        for j, col in enumerate(cols):
            parsed = np.array([float(r[j]) if r[j] else np.nan for r in rows])
            assert np.array_equal(parsed, col, equal_nan=True), (name, j)
        lookbacks[name] = {k: gen_golden.leading_nan(outs[k]) for k in columns}

    print(f"talib {talib.__version__}; leading empty rows per column:")
    print(f"{'column':24s}" + "".join(f"{n:>18s}" for n in names))
    for k in columns:
        print(f"{k:24s}" + "".join(f"{lookbacks[n][k]:>18d}" for n in names))
    for k in columns:
        vals = {lookbacks[n][k] for n in names}
        if len(vals) != 1:
            print(f"WARNING: lookback of {k} differs between series: {vals}")


if __name__ == "__main__":
    main()
