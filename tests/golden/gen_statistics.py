#!/usr/bin/env python3
"""Generate TA-Lib golden reference CSVs for apex-ta's statistics family.

Purpose
-------
Computes TA-Lib's VAR, LINEARREG, LINEARREG_SLOPE, LINEARREG_INTERCEPT,
LINEARREG_ANGLE, TSF, BETA and CORREL on the four deterministic synthetic
OHLCV series of gen_golden.py (same series, same inputs) and writes
tests/golden/statistics/<series>.csv with the columns
open,high,low,close,volume followed by the indicator columns below. The Rust
test module tests/integration/flow_statistics.rs compares apex-ta's
streaming indicators against them.

Columns:
  var_<n>_<nbdev>             VAR(close, n, nbdev) for (5, 1) (TA-Lib's
                              default), (20, 1) and (5, 2) (nbdev does not
                              scale VAR: the last equals the first)
  linearreg_<n>, linearreg_slope_<n>, linearreg_intercept_<n>,
  linearreg_angle_<n>, tsf_<n>
                              of the close, n = 14 (TA-Lib's default) and 5
  beta_<n>                    BETA(high, low, n): TA-Lib's abstract API takes
                              price0 = high, price1 = low; n = 5 (default), 14
  correl_<n>                  CORREL(high, low, n), n = 30 (default), 10
  beta_<n>_close_volume, correl_<n>_close_volume
                              the same with price0 = close, price1 = volume
                              (different scales, correlation crossing zero)

This script is NOT run by CI. The CSVs are committed; rerun it only when
adding columns or changing the TA-Lib version.

Exact command to rerun (from the repository root, with the venv of
gen_golden.py: ta-lib==0.8.2 and numpy):

    /tmp/talib-venv/bin/python tests/golden/gen_statistics.py

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

FAMILY = "statistics"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), FAMILY)
LINREG = [
    ("linearreg", talib.LINEARREG),
    ("linearreg_slope", talib.LINEARREG_SLOPE),
    ("linearreg_intercept", talib.LINEARREG_INTERCEPT),
    ("linearreg_angle", talib.LINEARREG_ANGLE),
    ("tsf", talib.TSF),
]


def compute(o, h, l, c, v):
    out = {}
    for n, nbdev in [(5, 1), (20, 1), (5, 2)]:
        out[f"var_{n}_{nbdev}"] = talib.VAR(c, timeperiod=n, nbdev=float(nbdev))
    for n in [14, 5]:
        for name, f in LINREG:
            out[f"{name}_{n}"] = f(c, timeperiod=n)
    for n in [5, 14]:
        out[f"beta_{n}"] = talib.BETA(h, l, timeperiod=n)
    for n in [30, 10]:
        out[f"correl_{n}"] = talib.CORREL(h, l, timeperiod=n)
    out["beta_5_close_volume"] = talib.BETA(c, v, timeperiod=5)
    out["correl_10_close_volume"] = talib.CORREL(c, v, timeperiod=10)
    return out


def main():
    if talib.__version__ != gen_golden.EXPECTED_TALIB_VERSION:
        sys.exit(f"expected ta-lib {gen_golden.EXPECTED_TALIB_VERSION}, got {talib.__version__}")
    # nbdev is accepted and ignored by VAR.
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 3.0])
    assert np.array_equal(talib.VAR(x, 5, nbdev=1.0), talib.VAR(x, 5, nbdev=3.0), equal_nan=True)
    os.makedirs(OUT_DIR, exist_ok=True)
    lookbacks = {}
    for name, fn in gen_golden.SERIES.items():
        o, h, l, c, v = fn()
        outs = compute(o, h, l, c, v)
        assert np.array_equal(outs["var_5_1"], outs["var_5_2"], equal_nan=True)
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
