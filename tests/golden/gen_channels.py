#!/usr/bin/env python3
"""Reference values for the channel indicators (no TA-Lib twin).

Purpose
-------
apex-ta's `channels` family follows TradingView's built-in definitions
(VWAP, Keltner Channels, Donchian Channels, Supertrend, Ichimoku Cloud),
which TA-Lib does not have. This script works every output out again,
independently of the Rust code: plain Python, straightforward loops over
lists, each indicator written the way its TradingView definition reads
(Pine's `ta.*` functions with `na` as `None`, windows recomputed from
scratch at every bar, the session's VWAP variance two-pass over the
session's bars). It runs on the four golden series of `gen_golden.py`
(imported from this directory for its `SERIES`, `fmt` and `leading_nan`)
and writes `tests/golden/channels/<series>.csv`; the Rust test
`tests/integration/channels.rs` compares apex-ta with them (1e-10 relative).

No TA-Lib function is called here (importing `gen_golden` needs the
`talib` module only because that script imports it). The series have no
dates, so this script gives bar i the timestamp `timestamp(i)` below
(epoch seconds, UTC, ~4.8 hours apart with a two-day gap every 50 bars,
spanning January to April 2024) and writes it as the `timestamp` column.

Exact command (from the repository root):

    /tmp/talib-venv/bin/python tests/golden/gen_channels.py

Deterministic: the series come from fixed seeds, nothing depends on the
clock, every number is written with repr(float(x)) (NaN as an empty field).

Columns: open,high,low,close,volume,timestamp, then

  vwap_<anchor>_<utc offset s>_<mult>_<output>   session VWAP of hlc3 with
      standard-deviation bands (TradingView "VWAP": anchor, Bands
      Multiplier); outputs vwap, std_dev, upper, lower
  kc_<length>_<mult>_<atr length>[_sma]_<output> TradingView "Keltner
      Channels" (EMA basis; _sma: "Use Exponential MA" off); upper, basis, lower
  dc_<length>_<output>                           TradingView "Donchian
      Channels": upper, basis, lower
  supertrend_<atr period>_<factor>_<output>      Pine's ta.supertrend:
      line, direction (-1 up, +1 down)
  ichimoku_<conv>_<base>_<span b>_<displacement>_<output>  TradingView
      "Ichimoku Cloud", values computed at the bar (not shifted):
      conversion, base, lead_a, lead_b, lagging

A "p" in a parameter stands for a decimal point (1p5 = 1.5), an "m" for a
minus sign (m18000 = -18000).
"""

import datetime
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_golden  # noqa: E402  (SERIES, fmt, leading_nan)

OUT_DIR = os.path.join(HERE, "channels")
INPUT_COLS = ["open", "high", "low", "close", "volume", "timestamp"]

# 2024-01-01 09:30:00 UTC
T0 = 1704101400
STEP = 4 * 3600 + 47 * 60


def timestamp(i):
    """Bar i's time: ~4.8 h apart, and a two-day gap after every 50 bars."""
    return T0 + i * STEP + (i // 50) * 2 * 86400


# ------------------------------------------------------------ Pine basics ----

def sma_series(x, n):
    """ta.sma: mean of the last n values, None before n values."""
    out = [None] * len(x)
    for i in range(n - 1, len(x)):
        s = 0.0
        for j in range(i - n + 1, i + 1):
            s += x[j]
        out[i] = s / n
    return out


def ema_series(x, n):
    """ta.ema: alpha = 2/(n+1), seeded with the SMA of the first n values
    (None before), then alpha*src + (1 - alpha)*ema[1]."""
    alpha = 2.0 / (n + 1)
    out = [None] * len(x)
    prev = None
    for i in range(len(x)):
        if prev is None:
            if i == n - 1:
                s = 0.0
                for j in range(n):
                    s += x[j]
                prev = s / n
                out[i] = prev
            continue
        prev = alpha * x[i] + (1 - alpha) * prev
        out[i] = prev
    return out


def rma_series(x, n):
    """ta.rma: alpha = 1/n, seeded with the SMA of the first n values."""
    alpha = 1.0 / n
    out = [None] * len(x)
    prev = None
    for i in range(len(x)):
        if prev is None:
            if i == n - 1:
                s = 0.0
                for j in range(n):
                    s += x[j]
                prev = s / n
                out[i] = prev
            continue
        prev = alpha * x[i] + (1 - alpha) * prev
        out[i] = prev
    return out


def tr_series(h, l, c):
    """ta.tr(true): high - low on the first bar (no previous close)."""
    out = []
    for i in range(len(c)):
        if i == 0:
            out.append(h[i] - l[i])
        else:
            out.append(max(max(h[i] - l[i], abs(h[i] - c[i - 1])),
                           abs(l[i] - c[i - 1])))
    return out


def atr_series(h, l, c, n):
    """ta.atr: ta.rma(ta.tr(true), n)."""
    return rma_series(tr_series(h, l, c), n)


def highest(x, n, i):
    """ta.highest over bars i-n+1..=i, None before n bars."""
    if i < n - 1:
        return None
    return max(x[i - n + 1:i + 1])


def lowest(x, n, i):
    if i < n - 1:
        return None
    return min(x[i - n + 1:i + 1])


# ------------------------------------------------------------------ VWAP ----

def anchor_period(anchor, ts, offset):
    """Which session bar `ts` belongs to: the calendar day / ISO week /
    month of the wall-clock time UTC + offset."""
    d = datetime.datetime.fromtimestamp(ts + offset, tz=datetime.timezone.utc)
    if anchor == "day":
        return d.date()
    if anchor == "week":
        return d.isocalendar()[:2]
    if anchor == "month":
        return (d.year, d.month)
    if anchor == "year":
        return d.year
    raise ValueError(anchor)


def vwap(h, l, c, v, ts, anchor, offset, mult):
    """Session VWAP of hlc3, sigma = volume-weighted population standard
    deviation of hlc3 around it over the session so far (two-pass)."""
    n = len(c)
    out = {k: [None] * n for k in ("vwap", "std_dev", "upper", "lower")}
    start = 0
    for i in range(n):
        if i > 0 and anchor_period(anchor, ts[i], offset) != \
                anchor_period(anchor, ts[i - 1], offset):
            start = i
        pv = 0.0
        vol = 0.0
        for j in range(start, i + 1):
            tp = (h[j] + l[j] + c[j]) / 3
            pv += tp * v[j]
            vol += v[j]
        if vol == 0:
            continue
        mean = pv / vol
        dev = 0.0
        for j in range(start, i + 1):
            tp = (h[j] + l[j] + c[j]) / 3
            dev += v[j] * (tp - mean) ** 2
        sd = math.sqrt(dev / vol)
        out["vwap"][i] = mean
        out["std_dev"][i] = sd
        out["upper"][i] = mean + mult * sd
        out["lower"][i] = mean - mult * sd
    return out


# ------------------------------------------------------- Keltner Channels ----

def keltner(h, l, c, length, mult, atr_length, use_exp=True):
    """TradingView "Keltner Channels", bands style "Average True Range":
    basis = ema (or sma) of close, bands = basis +- mult * ta.atr."""
    basis = ema_series(c, length) if use_exp else sma_series(c, length)
    atr = atr_series(h, l, c, atr_length)
    n = len(c)
    out = {k: [None] * n for k in ("upper", "basis", "lower")}
    for i in range(n):
        if basis[i] is None or atr[i] is None:
            continue
        out["upper"][i] = basis[i] + atr[i] * mult
        out["basis"][i] = basis[i]
        out["lower"][i] = basis[i] - atr[i] * mult
    return out


# ------------------------------------------------------ Donchian Channels ----

def donchian(h, l, length):
    n = len(h)
    out = {k: [None] * n for k in ("upper", "basis", "lower")}
    for i in range(length - 1, n):
        up = highest(h, length, i)
        lo = lowest(l, length, i)
        out["upper"][i] = up
        out["lower"][i] = lo
        out["basis"][i] = (up + lo) / 2
    return out


# -------------------------------------------------------------- Supertrend ----

def supertrend(h, l, c, atr_period, factor):
    """pine_supertrend of the ta.supertrend reference, line by line; `nz`
    turns a missing previous band into 0, a comparison with a missing
    close[1] is false."""
    atr = atr_series(h, l, c, atr_period)
    n = len(c)
    line = [None] * n
    direction = [None] * n
    upper_final = [None] * n
    lower_final = [None] * n
    for i in range(n):
        if atr[i] is None:
            continue
        src = (h[i] + l[i]) / 2
        upper = src + factor * atr[i]
        lower = src - factor * atr[i]
        prev_lower = lower_final[i - 1] if i > 0 and lower_final[i - 1] is not None else 0.0
        prev_upper = upper_final[i - 1] if i > 0 and upper_final[i - 1] is not None else 0.0
        close1 = c[i - 1] if i > 0 else None
        if lower > prev_lower or (close1 is not None and close1 < prev_lower):
            pass
        else:
            lower = prev_lower
        if upper < prev_upper or (close1 is not None and close1 > prev_upper):
            pass
        else:
            upper = prev_upper
        if i == 0 or atr[i - 1] is None:
            d = 1
        elif line[i - 1] == prev_upper:
            d = -1 if c[i] > upper else 1
        else:
            d = 1 if c[i] < lower else -1
        upper_final[i] = upper
        lower_final[i] = lower
        direction[i] = float(d)
        line[i] = lower if d == -1 else upper
    return {"line": line, "direction": direction}


# ---------------------------------------------------------- Ichimoku Cloud ----

def ichimoku(h, l, c, conv, base, span_b, displacement):
    """TradingView "Ichimoku Cloud" values at each bar, unshifted; output
    once every line is defined (bar max(conv, base, span_b) - 1)."""
    del displacement  # only where the lines are drawn, not their values
    n = len(c)
    first = max(conv, base, span_b) - 1
    out = {k: [None] * n for k in ("conversion", "base", "lead_a", "lead_b", "lagging")}

    def mid(length, i):
        return (lowest(l, length, i) + highest(h, length, i)) / 2

    for i in range(first, n):
        cv = mid(conv, i)
        bs = mid(base, i)
        out["conversion"][i] = cv
        out["base"][i] = bs
        out["lead_a"][i] = (cv + bs) / 2
        out["lead_b"][i] = mid(span_b, i)
        out["lagging"][i] = c[i]
    return out


# -------------------------------------------------------------------- main ----

def compute(o, h, l, c, v, ts):
    cols = {}

    def add(prefix, outs):
        for k, vals in outs.items():
            cols[f"{prefix}_{k}"] = vals

    add("vwap_day_0_1", vwap(h, l, c, v, ts, "day", 0, 1.0))
    w = vwap(h, l, c, v, ts, "day", -18000, 2.0)
    add("vwap_day_m18000_2", {k: w[k] for k in ("vwap", "upper", "lower")})
    w = vwap(h, l, c, v, ts, "week", 0, 1.0)
    add("vwap_week_0_1", {k: w[k] for k in ("vwap", "upper")})
    w = vwap(h, l, c, v, ts, "month", 19800, 1.5)
    add("vwap_month_19800_1p5", {k: w[k] for k in ("vwap", "lower")})
    w = vwap(h, l, c, v, ts, "year", 0, 1.0)
    add("vwap_year_0_1", {k: w[k] for k in ("vwap", "std_dev")})

    add("kc_20_2_10", keltner(h, l, c, 20, 2.0, 10))
    add("kc_5_1p5_3", keltner(h, l, c, 5, 1.5, 3))
    add("kc_10_2_14_sma", keltner(h, l, c, 10, 2.0, 14, use_exp=False))
    add("kc_1_1_1", keltner(h, l, c, 1, 1.0, 1))

    add("dc_20", donchian(h, l, 20))
    add("dc_5", donchian(h, l, 5))
    add("dc_1", donchian(h, l, 1))

    add("supertrend_10_3", supertrend(h, l, c, 10, 3.0))
    add("supertrend_7_2", supertrend(h, l, c, 7, 2.0))
    add("supertrend_1_0p5", supertrend(h, l, c, 1, 0.5))

    add("ichimoku_9_26_52_26", ichimoku(h, l, c, 9, 26, 52, 26))
    add("ichimoku_3_5_8_4", ichimoku(h, l, c, 3, 5, 8, 4))
    return cols


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    lookbacks = {}
    names = None
    for name, fn in gen_golden.SERIES.items():
        o, h, l, c, v = [[float(x) for x in a] for a in fn()]
        n = len(c)
        ts = [timestamp(i) for i in range(n)]
        cols = compute(o, h, l, c, v, ts)
        names = list(cols)
        inputs = [o, h, l, c, v, [float(t) for t in ts]]
        outputs = [[math.nan if x is None else x for x in cols[k]] for k in names]
        path = os.path.join(OUT_DIR, f"{name}.csv")
        with open(path, "w", newline="\n") as f:
            f.write(",".join(INPUT_COLS + names) + "\n")
            for i in range(n):
                row = [gen_golden.fmt(col[i]) for col in inputs + outputs]
                f.write(",".join(row) + "\n")
        # Round trip: the file parses back to exactly these numbers.
        with open(path) as f:
            rows = [r.split(",") for r in f.read().splitlines()[1:]]
        for j, col in enumerate(inputs + outputs):
            parsed = np.array([float(r[j]) if r[j] else np.nan for r in rows])
            assert np.array_equal(parsed, np.array(col), equal_nan=True), (name, j)
        lookbacks[name] = {k: gen_golden.leading_nan(np.array(outputs[i]))
                           for i, k in enumerate(names)}

    series = list(gen_golden.SERIES)
    print("leading empty rows per column:")
    print(f"{'column':34s}" + "".join(f"{s:>18s}" for s in series))
    for k in names:
        print(f"{k:34s}" + "".join(f"{lookbacks[s][k]:>18d}" for s in series))


if __name__ == "__main__":
    main()
