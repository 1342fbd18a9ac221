#!/usr/bin/env python3
"""Generate TA-Lib golden reference CSVs for apex-ta's volume-flow family.

Purpose
-------
Computes TA-Lib's AD, ADOSC and OBV on the four deterministic synthetic
OHLCV series of gen_golden.py (same series, same inputs) and writes
tests/golden/flow/<series>.csv with the columns open,high,low,close,volume
followed by the indicator columns below. The Rust test module
tests/integration/flow_statistics.rs compares apex-ta's streaming Ad, AdOsc
and Obv against them.

Columns: `ad` = AD(high, low, close, volume); `adosc_<fast>_<slow>` =
ADOSC(high, low, close, volume, fast, slow) for (3, 10) (TA-Lib's default),
(2, 5) and (10, 3) (fast > slow: TA-Lib computes EMA(fast) - EMA(slow)
whatever the order); `obv` = OBV(close, volume).

This script is NOT run by CI. The CSVs are committed; rerun it only when
adding columns or changing the TA-Lib version.

Exact command to rerun (from the repository root, with the venv of
gen_golden.py: ta-lib==0.8.2 and numpy):

    /tmp/talib-venv/bin/python tests/golden/gen_flow.py

Numbers are written with repr(float(x)) (exact round trip); NaN is an empty
field. The script re-parses every file, checks the round trip and prints the
leading empty rows (lookback) of every column.
"""

import os
import sys

import numpy as np
import talib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden  # noqa: E402

FAMILY = "flow"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), FAMILY)
ADOSC_PARAMS = [(3, 10), (2, 5), (10, 3)]


def compute(o, h, l, c, v):
    out = {"ad": talib.AD(h, l, c, v)}
    for fast, slow in ADOSC_PARAMS:
        out[f"adosc_{fast}_{slow}"] = talib.ADOSC(h, l, c, v, fastperiod=fast, slowperiod=slow)
    out["obv"] = talib.OBV(c, v)
    return out


def main():
    if talib.__version__ != gen_golden.EXPECTED_TALIB_VERSION:
        sys.exit(f"expected ta-lib {gen_golden.EXPECTED_TALIB_VERSION}, got {talib.__version__}")
    os.makedirs(OUT_DIR, exist_ok=True)
    lookbacks = {}
    for name, fn in gen_golden.SERIES.items():
        o, h, l, c, v = fn()
        outs = compute(o, h, l, c, v)
        names = list(outs)
        cols = [o, h, l, c, v] + [outs[k] for k in names]
        path = os.path.join(OUT_DIR, f"{name}.csv")
        with open(path, "w", newline="\n") as f:
            f.write(",".join(gen_golden.INPUT_COLS + names) + "\n")
            for i in range(len(c)):
                f.write(",".join(gen_golden.fmt(col[i]) for col in cols) + "\n")
        with open(path) as f:
            rows = [r.split(",") for r in f.read().splitlines()[1:]]
        for j, col in enumerate(cols):
            parsed = np.array([float(r[j]) if r[j] else np.nan for r in rows])
            assert np.array_equal(parsed, col, equal_nan=True), (name, j)
        lookbacks[name] = {k: gen_golden.leading_nan(outs[k]) for k in names}
    print(f"talib {talib.__version__}; leading empty rows per column:")
    for name, lb in lookbacks.items():
        print(f"  {name}: {lb}")


if __name__ == "__main__":
    main()
