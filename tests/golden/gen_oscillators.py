#!/usr/bin/env python3
"""Generate TA-Lib golden reference CSVs for the oscillators family.

Purpose
-------
Computes TA-Lib's momentum oscillators (APO, PPO, BOP, CMO, MFI, MOM, ROC,
ROCP, ROCR, ROCR100, STOCH, STOCHF, STOCHRSI, TRIX) on the four deterministic
synthetic OHLCV series of gen_golden.py and writes one CSV per series to
tests/golden/oscillators/<series>.csv: the columns open,high,low,close,volume
then one column per indicator output, named
<talibname>_<params joined by _>[_<output>] (matype 0 = SMA, 1 = EMA). The
Rust tests (tests/integration/oscillators.rs) compare apex-ta's streaming
indicators against these values.

This script is NOT run by CI. The CSVs are committed; rerun this only when
adding columns or changing TA-Lib version.

Reference implementation: TA-Lib Python wrapper ta-lib==0.8.2 from PyPI (the
wheel bundles the TA-Lib C library), with numpy.

Exact command to rerun (from the repository root):

    python3 -m venv /tmp/talib-venv
    /tmp/talib-venv/bin/pip install ta-lib==0.8.2 numpy
    /tmp/talib-venv/bin/python tests/golden/gen_oscillators.py

Inputs and number formatting come from gen_golden.py (same series, same
seeds, repr() round-trip formatting, NaN as an empty field), so the inputs
parse back to exactly the arrays TA-Lib saw. The script prints the number of
leading empty rows per column (the observed lookbacks) and checks that they
agree across series.
"""

import os
import sys

import numpy as np
import talib

import gen_golden
from gen_golden import SERIES, fmt, leading_nan

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oscillators")

INPUT_COLS = ["open", "high", "low", "close", "volume"]


def compute(o, h, l, c, v):
    """Every oscillator column, in file order."""
    out = {}
    # APO / PPO: default, short, each matype; (26, 12) checks TA-Lib's swap.
    for fast, slow in [(12, 26), (5, 10)]:
        for mt in (0, 1):
            out[f"apo_{fast}_{slow}_{mt}"] = talib.APO(c, fast, slow, mt)
            out[f"ppo_{fast}_{slow}_{mt}"] = talib.PPO(c, fast, slow, mt)
    out["apo_26_12_0"] = talib.APO(c, 26, 12, 0)
    out["ppo_26_12_1"] = talib.PPO(c, 26, 12, 1)
    out["bop"] = talib.BOP(o, h, l, c)
    for n in (14, 5):
        out[f"cmo_{n}"] = talib.CMO(c, n)
    for n in (14, 5):
        out[f"mfi_{n}"] = talib.MFI(h, l, c, v, n)
    for n in (10, 3):
        out[f"mom_{n}"] = talib.MOM(c, n)
        out[f"roc_{n}"] = talib.ROC(c, n)
        out[f"rocp_{n}"] = talib.ROCP(c, n)
        out[f"rocr_{n}"] = talib.ROCR(c, n)
        out[f"rocr100_{n}"] = talib.ROCR100(c, n)
    for fk, sk, skt, sd, sdt in [(5, 3, 0, 3, 0), (5, 3, 1, 3, 1), (14, 3, 1, 5, 0), (3, 1, 0, 1, 0)]:
        k, d = talib.STOCH(h, l, c, fk, sk, skt, sd, sdt)
        name = f"stoch_{fk}_{sk}_{skt}_{sd}_{sdt}"
        out[f"{name}_slowk"], out[f"{name}_slowd"] = k, d
    for fk, fd, fdt in [(5, 3, 0), (5, 3, 1), (14, 3, 0), (1, 1, 0)]:
        k, d = talib.STOCHF(h, l, c, fk, fd, fdt)
        name = f"stochf_{fk}_{fd}_{fdt}"
        out[f"{name}_fastk"], out[f"{name}_fastd"] = k, d
    for t, fk, fd, fdt in [(14, 5, 3, 0), (14, 5, 3, 1), (5, 3, 2, 0), (14, 14, 1, 0)]:
        k, d = talib.STOCHRSI(c, t, fk, fd, fdt)
        name = f"stochrsi_{t}_{fk}_{fd}_{fdt}"
        out[f"{name}_fastk"], out[f"{name}_fastd"] = k, d
    for n in (30, 5, 1):
        out[f"trix_{n}"] = talib.TRIX(c, n)
    return out


def main():
    if talib.__version__ != gen_golden.EXPECTED_TALIB_VERSION:
        sys.exit(f"expected ta-lib {gen_golden.EXPECTED_TALIB_VERSION}, got {talib.__version__}")
    os.makedirs(OUT_DIR, exist_ok=True)
    lookbacks = {}
    names = None
    for series, fn in SERIES.items():
        o, h, l, c, v = fn()
        outs = compute(o, h, l, c, v)
        names = list(outs)
        cols = [o, h, l, c, v] + [outs[k] for k in names]
        path = os.path.join(OUT_DIR, f"{series}.csv")
        with open(path, "w", newline="\n") as f:
            f.write(",".join(INPUT_COLS + names) + "\n")
            for i in range(len(c)):
                f.write(",".join(fmt(col[i]) for col in cols) + "\n")
        # Round-trip check: parsing the CSV gives back the exact arrays.
        with open(path) as f:
            rows = [r.split(",") for r in f.read().splitlines()[1:]]
        for j, col in enumerate(cols):
            parsed = np.array([float(r[j]) if r[j] else np.nan for r in rows])
            assert np.array_equal(parsed, col, equal_nan=True), (series, j)
        lookbacks[series] = {k: leading_nan(outs[k]) for k in names}

    print(f"talib {talib.__version__}; leading empty rows per column:")
    print(f"{'column':32s}" + "".join(f"{n:>18s}" for n in SERIES))
    for k in names:
        print(f"{k:32s}" + "".join(f"{lookbacks[n][k]:>18d}" for n in SERIES))
    for k in names:
        vals = {lookbacks[n][k] for n in SERIES}
        if len(vals) != 1:
            sys.exit(f"lookback of {k} differs between series: {vals}")


if __name__ == "__main__":
    main()
