#!/usr/bin/env python3
"""Cross-check `apex-ta indicators` against TA-Lib 0.8.2 on real data.

For each OHLCV CSV given, runs the tool (its default columns), recomputes every output column
with TA-Lib 0.8.2 (volume z-score and ratio with numpy: rolling 20-bar window
including the current bar, population sigma) on the same rows, and reports
per column:

* warm-up: the number of rows where one side is empty and the other not;
* max absolute and max relative difference, relative to
  max(|expected|, 1e-300) -- for the MACD columns relative to the close
  (they cross zero);
* the row (date) of the largest relative difference.

Rows the tool rejects (stderr `FILE: line N: ...`, exit status 2) are removed
from TA-Lib's input too, and listed. The script also applies the same row
checks itself (finite, low <= high, open/close within [low, high],
volume >= 0) and reports any disagreement with the tool.

Known deviation, counted separately and not a failure: RSI of a window with
no gain and no loss (flat) is 50 in apex-ta and 0 in TA-Lib 0.8.2.

CI never runs this script, and the data it is meant for is not in the
repository: never copy real market data into the repo; pass paths.

Usage (from anywhere; the TA-Lib venv is the one gen_golden.py uses):

    /tmp/talib-venv/bin/python tests/golden/check_indicators_example.py \\
        /path/to/SPY.csv /path/to/QQQ.csv ...

    # with a prebuilt binary instead of `cargo run --release -p apex-ta-cli`:
    cargo build --release -p apex-ta-cli
    /tmp/talib-venv/bin/python tests/golden/check_indicators_example.py \\
        --bin target/release/apex-ta /path/to/*.csv

Options: --bin PATH (run this binary), --tol REL (failure threshold, default
1e-10), --quiet (only the summary line per file). Exit status 0 if every
column of every file is within the tolerance with no warm-up mismatch and no
disagreement on rejected rows, 1 otherwise.
"""

import argparse
import csv
import io
import math
import os
import re
import subprocess
import sys

import numpy as np
import talib

EXPECTED_TALIB_VERSION = "0.8.2"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLUMNS = [
    "date", "close", "rsi_14", "macd", "macd_signal", "macd_hist", "atr_14",
    "natr_14", "trange", "ema_20", "sma_20", "stddev_20", "max_20", "min_20",
    "volume_z_20", "volume_ratio_20",
]
MACD_COLUMNS = {"macd", "macd_signal", "macd_hist"}
TIMESTAMP_NAMES = ["date", "datetime", "time", "timestamp"]
LINE_RE = re.compile(r"^.*: line (\d+): (.*)$")


def run_example(path, binary):
    if binary:
        cmd = [binary, "indicators", path]
    else:
        cmd = ["cargo", "run", "--quiet", "--release", "-p", "apex-ta-cli", "--", "indicators", path]
    p = subprocess.run(cmd, cwd=REPO, capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def read_input(path):
    """(line, timestamp, o, h, l, c, v) of every non-blank data row; fields
    that are not numbers become NaN (the tool rejects those rows)."""
    with open(path, newline="") as f:
        text = f.read()
    rdr = csv.reader(io.StringIO(text))
    header = [h.strip().lstrip("\ufeff").strip().lower() for h in next(rdr)]
    ts = next(i for i, h in enumerate(header) if h in TIMESTAMP_NAMES)
    idx = [header.index(k) for k in ("open", "high", "low", "close", "volume")]
    rows = []
    for rec in rdr:
        line = rdr.line_num
        if not rec:
            continue
        vals = []
        for i in idx:
            try:
                vals.append(float(rec[i]))
            except (ValueError, IndexError):
                vals.append(math.nan)
        if len(rec) != len(header):
            vals[0] = math.nan
        rows.append((line, rec[ts].strip() if ts < len(rec) else "", *vals))
    return rows


def python_rejects(row):
    _, ts, o, h, l, c, v = row
    if not ts or not all(math.isfinite(x) for x in (o, h, l, c, v)):
        return True
    return h < l or not (l <= o <= h) or not (l <= c <= h) or v < 0


def expected_columns(o, h, l, c, v):
    macd, signal, hist = talib.MACD(c, 12, 26, 9)
    n = len(v)
    z = np.full(n, np.nan)
    ratio = np.full(n, np.nan)
    if n >= 20:
        w = np.lib.stride_tricks.sliding_window_view(v, 20)
        mean = w.mean(axis=1)
        std = w.std(axis=1)
        cur = v[19:]
        with np.errstate(divide="ignore", invalid="ignore"):
            z[19:] = np.where(std != 0, (cur - mean) / std, np.nan)
            ratio[19:] = np.where(mean != 0, cur / mean, np.nan)
    return {
        "close": c,
        "rsi_14": talib.RSI(c, 14),
        "macd": macd,
        "macd_signal": signal,
        "macd_hist": hist,
        "atr_14": talib.ATR(h, l, c, 14),
        "natr_14": talib.NATR(h, l, c, 14),
        "trange": talib.TRANGE(h, l, c),
        "ema_20": talib.EMA(c, 20),
        "sma_20": talib.SMA(c, 20),
        "stddev_20": talib.STDDEV(c, 20, 1),
        "max_20": talib.MAX(c, 20),
        "min_20": talib.MIN(c, 20),
        "volume_z_20": z,
        "volume_ratio_20": ratio,
    }


def check_file(path, binary, tol, quiet):
    print(f"== {path}")
    code, out, err = run_example(path, binary)
    reported = {}
    for ln in err.splitlines():
        m = LINE_RE.match(ln)
        if m:
            reported[int(m.group(1))] = m.group(2)
    if code not in (0, 2):
        print(f"  FAIL: exit status {code}\n{err}")
        return False
    ok = True
    if (code == 2) != bool(reported):
        print(f"  FAIL: exit status {code} but {len(reported)} rejected rows reported")
        ok = False

    rows = read_input(path)
    ours = {r[0] for r in rows if python_rejects(r)}
    if ours != set(reported):
        print(f"  FAIL: rejected rows differ: tool only {sorted(set(reported) - ours)[:20]}, "
              f"python only {sorted(ours - set(reported))[:20]}")
        ok = False
    if reported:
        print(f"  rejected {len(reported)} rows:")
        for ln in sorted(reported)[:20]:
            print(f"    line {ln}: {reported[ln]}")
        if len(reported) > 20:
            print(f"    ... {len(reported) - 20} more")
    good = [r for r in rows if r[0] not in reported]
    dates = [r[1] for r in good]
    o, h, l, c, v = (np.array([r[i] for r in good], dtype=float) for i in range(2, 7))
    exp = expected_columns(o, h, l, c, v)

    got_rows = list(csv.reader(io.StringIO(out)))
    if not got_rows or got_rows[0] != COLUMNS:
        print(f"  FAIL: header {got_rows[:1]}")
        return False
    got_rows = got_rows[1:]
    if len(got_rows) != len(good):
        print(f"  FAIL: {len(got_rows)} output rows, expected {len(good)}")
        return False
    got_dates = [r[0] for r in got_rows]
    if got_dates != dates:
        bad = next(i for i, (a, b) in enumerate(zip(got_dates, dates)) if a != b)
        print(f"  FAIL: date of output row {bad} is {got_dates[bad]!r}, expected {dates[bad]!r}")
        ok = False

    summary = []
    if not quiet:
        print(f"  {len(good)} rows compared")
        print(f"  {'column':16s} {'warmup':>6s} {'max abs diff':>13s} {'max rel diff':>13s}  at")
    for j, name in enumerate(COLUMNS[1:], start=1):
        g = np.array([float(r[j]) if r[j] != "" else np.nan for r in got_rows])
        e = exp[name]
        warm = int(np.sum(np.isnan(g) != np.isnan(e)))
        both = ~np.isnan(g) & ~np.isnan(e)
        note = ""
        if name == "rsi_14":
            flat = both & (g == 50.0) & (e == 0.0)
            if flat.any():
                note = f" ({int(flat.sum())} flat-window rows: 50 vs TA-Lib 0, known deviation)"
            both &= ~flat
        diff = np.abs(g - e)
        if name in MACD_COLUMNS:
            scale = np.maximum(np.abs(c), 1e-300)
        else:
            scale = np.maximum(np.abs(e), 1e-300)
        rel = np.where(both, diff / scale, 0.0)
        absd = np.where(both, diff, 0.0)
        k = int(np.argmax(rel)) if len(rel) else 0
        max_rel = float(rel[k]) if len(rel) else 0.0
        max_abs = float(absd.max()) if len(absd) else 0.0
        where = f"{dates[k]} (got {float(g[k])!r}, expected {float(e[k])!r})" if max_rel > 0 else ""
        bad = warm > 0 or max_rel > tol
        ok &= not bad
        summary.append((name, max_rel))
        if not quiet or bad:
            flag = "  <-- FAIL" if bad else ""
            print(f"  {name:16s} {warm:6d} {max_abs:13.3e} {max_rel:13.3e}  {where}{note}{flag}")
            if warm:
                idx = np.nonzero(np.isnan(g) != np.isnan(e))[0][:5]
                for i in idx:
                    print(f"      warm-up mismatch at {dates[i]}: got {float(g[i])!r}, expected {float(e[i])!r}")
    worst = max(summary, key=lambda s: s[1])
    print(f"  {'OK' if ok else 'FAIL'}: {len(good)} rows, {len(reported)} rejected, "
          f"worst relative difference {worst[1]:.3e} ({worst[0]})")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--bin", help="prebuilt apex-ta binary")
    ap.add_argument("--tol", type=float, default=1e-10)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if talib.__version__ != EXPECTED_TALIB_VERSION:
        sys.exit(f"TA-Lib {talib.__version__} found, {EXPECTED_TALIB_VERSION} needed")
    binary = os.path.abspath(args.bin) if args.bin else None
    results = [check_file(os.path.abspath(f), binary, args.tol, args.quiet) for f in args.files]
    print(f"{sum(results)}/{len(results)} files OK")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
