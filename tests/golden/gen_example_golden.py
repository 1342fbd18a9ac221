#!/usr/bin/env python3
"""Generate the fixture of the end-to-end test of `apex-ta indicators`.

Writes, next to this script:

* ``example_input.csv`` -- a Yahoo-style OHLCV file (header
  ``Date,Open,High,Low,Close,Adj Close,Volume``): 300 good rows of a seeded
  random walk on business days from 2023-01-03, plus deliberately bad rows
  (NaN close, high < low, negative volume, a missing field, unparsable
  numbers, Yahoo's all-``null`` row, an infinite high) and one blank line.
* ``example_expected.csv`` -- the tool's expected stdout, in its exact
  column contract, computed with TA-Lib 0.8.2 on the good rows only (volume
  z-score and ratio with numpy). NaN / undefined is an empty field.
* ``example_rejected.csv`` -- ``line,reason``: the physical line number
  (header = 1) of every bad row and a fragment its stderr message must
  contain.

CI never runs this; the CSVs are committed. Deterministic: fixed
``numpy.random.default_rng`` seed, no time dependence, numbers written with
``repr(float)`` (so Rust parses exactly the f64 TA-Lib saw). No window of
the fixture is flat (RSI of a flat window is a known deviation: apex-ta 50,
TA-Lib 0.8.2 0); the script asserts that.

Run from the repository root:

    /tmp/talib-venv/bin/python tests/golden/gen_example_golden.py

(``python3 -m venv /tmp/talib-venv && /tmp/talib-venv/bin/pip install
ta-lib==0.8.2 numpy`` to create that environment.)
"""

import csv
import datetime as dt
import math
import os

import numpy as np
import talib

EXPECTED_TALIB_VERSION = "0.8.2"
OUT_DIR = os.path.dirname(os.path.abspath(__file__))
N_GOOD = 300
SEED = 20240102

COLUMNS = [
    "date", "close", "rsi_14", "macd", "macd_signal", "macd_hist", "atr_14",
    "natr_14", "trange", "ema_20", "sma_20", "stddev_20", "max_20", "min_20",
    "volume_z_20", "volume_ratio_20",
]

# Bad rows: inserted before good row index `at` (0-based); fields are
# (open, high, low, close, adj_close, volume) as text; `reason` is a fragment
# of the expected stderr message.
BAD_ROWS = [
    (5, ("50.1", "50.6", "49.8", "NaN", "50.0", "1200000"), "non-finite input `close`"),
    (40, ("50.0", "49.0", "50.5", "49.5", "49.4", "900000"), "inconsistent bar: high < low"),
    (100, ("50.0", "51.0", "49.0", "50.5", "50.4", "-500"), "negative volume"),
    (150, ("50.0", "51.0", "49.0", "50.5", "50.4"), "missing field `volume`"),
    (151, ("5O.0", "51.0", "49.0", "50.5", "50.4", "700000"), "field `open`: cannot parse"),
    (220, ("null", "null", "null", "null", "null", "null"), "cannot parse"),
    (260, ("50.0", "inf", "49.0", "50.5", "50.4", "700000"), "non-finite input `high`"),
]
BLANK_LINE_BEFORE = 120  # a blank line before good row 120: skipped, not an error


def business_days(start, n):
    d = start
    out = []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d += dt.timedelta(days=1)
    return out


def make_bars():
    rng = np.random.default_rng(SEED)
    n = N_GOOD
    rets = rng.normal(0.0, 0.012, n)
    close = 50.0 * np.exp(np.cumsum(rets))
    open_ = np.empty(n)
    open_[0] = 50.0
    open_[1:] = close[:-1] * (1.0 + rng.normal(0.0, 0.003, n - 1))
    # A gap: from bar 180 on the walk jumps up 6 % (true range must span it).
    close[180:] *= 1.06
    open_[181:] *= 1.06
    open_[180] = close[179] * 1.05
    open_ = np.round(open_, 4)
    close = np.round(close, 4)
    high = np.round(np.maximum(open_, close) * (1.0 + rng.uniform(0.0, 0.01, n)), 4)
    low = np.round(np.minimum(open_, close) * (1.0 - rng.uniform(0.0, 0.01, n)), 4)
    high = np.maximum(high, np.maximum(open_, close))
    low = np.minimum(low, np.minimum(open_, close))
    # Edge-of-range bars (still valid): close == high, open == low.
    high[60] = max(open_[60], close[60])
    close[61] = high[61]
    low[62] = min(open_[62], close[62])
    open_[62] = low[62]
    volume = np.round(rng.lognormal(math.log(1.0e6), 0.35, n))
    volume[rng.choice(n, 12, replace=False)] *= 2.5  # spikes
    volume = np.round(volume)
    volume[77] = 0.0  # a zero-volume bar is valid
    adj = np.round(close * 0.97, 4)
    bars = dict(open=open_, high=high, low=low, close=close, volume=volume, adj=adj)
    for k in bars:
        bars[k] = np.array([float(x) for x in bars[k]])
    assert np.all(bars["low"] <= bars["high"])
    assert np.all((bars["low"] <= bars["open"]) & (bars["open"] <= bars["high"]))
    assert np.all((bars["low"] <= bars["close"]) & (bars["close"] <= bars["high"]))
    assert np.all(bars["volume"] >= 0)
    return bars


def fmt(x):
    """Field text: repr of the float, empty for NaN."""
    x = float(x)
    return "" if math.isnan(x) else repr(x)


def volume_z_ratio(v, n=20):
    z = np.full(len(v), np.nan)
    ratio = np.full(len(v), np.nan)
    for i in range(n - 1, len(v)):
        w = v[i - n + 1:i + 1]
        mean = w.mean()
        std = w.std()  # population
        if std != 0.0:
            z[i] = (v[i] - mean) / std
        if mean != 0.0:
            ratio[i] = v[i] / mean
    return z, ratio


def main():
    assert talib.__version__ == EXPECTED_TALIB_VERSION, talib.__version__
    bars = make_bars()
    n = N_GOOD
    dates = business_days(dt.date(2023, 1, 3), n + len(BAD_ROWS))

    # Input file: good and bad rows interleaved, each with its own date.
    lines = ["Date,Open,High,Low,Close,Adj Close,Volume"]
    good_dates = []
    rejected = []
    bad = {}
    for at, fields, reason in BAD_ROWS:
        bad.setdefault(at, []).append((fields, reason))
    d = iter(dates)
    for i in range(n):
        for fields, reason in bad.get(i, []):
            lines.append(",".join((next(d),) + fields))
            rejected.append((len(lines), reason))
        if i == BLANK_LINE_BEFORE:
            lines.append("")
        date = next(d)
        good_dates.append(date)
        lines.append(",".join([date] + [fmt(bars[k][i]) for k in
                                        ("open", "high", "low", "close", "adj")]
                              + [str(int(bars["volume"][i]))]))
    with open(os.path.join(OUT_DIR, "example_input.csv"), "w", newline="") as f:
        f.write("\n".join(lines) + "\n")

    o, h, l, c, v = (bars[k] for k in ("open", "high", "low", "close", "volume"))
    macd, signal, hist = talib.MACD(c, 12, 26, 9)
    z, ratio = volume_z_ratio(v)
    cols = [
        c, talib.RSI(c, 14), macd, signal, hist, talib.ATR(h, l, c, 14),
        talib.NATR(h, l, c, 14), talib.TRANGE(h, l, c), talib.EMA(c, 20),
        talib.SMA(c, 20), talib.STDDEV(c, 20, 1), talib.MAX(c, 20),
        talib.MIN(c, 20), z, ratio,
    ]
    # No flat window anywhere (RSI deviation), no exact zero RSI.
    assert all(c[i] != c[i - 1] for i in range(1, n))
    rsi = cols[1]
    assert np.all(rsi[14:] > 0) and np.all(rsi[14:] < 100)
    with open(os.path.join(OUT_DIR, "example_expected.csv"), "w", newline="") as f:
        f.write(",".join(COLUMNS) + "\n")
        for i in range(n):
            f.write(",".join([good_dates[i]] + [fmt(col[i]) for col in cols]) + "\n")
    with open(os.path.join(OUT_DIR, "example_rejected.csv"), "w", newline="") as f:
        f.write("line,reason\n")
        for line, reason in rejected:
            f.write(f'{line},"{reason}"\n')

    # Re-parse check: the good rows parse back to exactly the arrays used.
    bad_lines = {r[0] for r in rejected}
    with open(os.path.join(OUT_DIR, "example_input.csv"), newline="") as f:
        rows = [r for k, r in enumerate(csv.reader(f), start=1)
                if k > 1 and k not in bad_lines and r]
    assert len(rows) == n
    for i, r in enumerate(rows):
        assert r[0] == good_dates[i]
        assert [float(x) for x in (r[1], r[2], r[3], r[4], r[6])] == \
            [o[i], h[i], l[i], c[i], v[i]]
    print(f"wrote {n} good rows, {len(rejected)} bad rows at lines "
          f"{[r[0] for r in rejected]}")
    for name, col in zip(COLUMNS[1:], cols):
        first = int(np.argmax(~np.isnan(col)))
        print(f"  {name:16s} first value at row {first}")


if __name__ == "__main__":
    main()
