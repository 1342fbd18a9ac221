#!/usr/bin/env python3
"""TA-Lib C library batch speed (ns per bar) for RSI(14), MACD(12,26,9), ATR(14).

Uses the `talib` Python package (a thin Cython wrapper over the C library) on
the SAME 1,000,000 bars as benches/peers.rs: the xorshift64 geometric random
walk from src/lib.rs is re-implemented here bit for bit (pure Python floats
are IEEE-754 doubles, and every operation is done in the same order).

If /tmp/peers_bars.bin exists (written by `cargo run --release --bin check`)
the generated data is compared with it bit for bit first; pass --verify to
make a missing file an error, --no-verify to skip.

Timing: each function is called REPS times (default 10) with
time.perf_counter around the call; the best (minimum) and the median are
reported, as ns per bar = seconds / N * 1e9. At 1M bars the Python->C call
overhead (~1 us) is < 0.001 ns/bar. The figure includes the wrapper's
allocation of its output array(s), as any caller of `talib` pays it.

Usage:
    /tmp/talib-venv/bin/python benches/peers/talib_c.py [--reps 10] [--verify | --no-verify]
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np
import talib

N = 1_000_000
SEED = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1
BARS_BIN = "/tmp/peers_bars.bin"


def bars(n):
    """Same generator as apex_ta_peers::bars (src/lib.rs)."""
    state = SEED
    two53 = float(1 << 53)
    o = [0.0] * n
    h = [0.0] * n
    lo = [0.0] * n
    c = [0.0] * n
    v = [0.0] * n
    close = 100.0
    for i in range(n):
        opn = close
        # next() #1: close move
        state ^= (state << 13) & MASK
        state ^= state >> 7
        state ^= (state << 17) & MASK
        close *= 1.0 + ((state >> 11) / two53 - 0.5) * 0.024
        # next() #2: upper wick
        state ^= (state << 13) & MASK
        state ^= state >> 7
        state ^= (state << 17) & MASK
        high = max(opn, close) * (1.0 + (state >> 11) / two53 * 0.005)
        # next() #3: lower wick
        state ^= (state << 13) & MASK
        state ^= state >> 7
        state ^= (state << 17) & MASK
        low = min(opn, close) * (1.0 - (state >> 11) / two53 * 0.005)
        # next() #4: volume
        state ^= (state << 13) & MASK
        state ^= state >> 7
        state ^= (state << 17) & MASK
        vol = 1.0e6 * (0.5 + (state >> 11) / two53)
        o[i], h[i], lo[i], c[i], v[i] = opn, high, low, close, vol
    return tuple(np.array(x, dtype=np.float64) for x in (o, h, lo, c, v))


def verify(cols, required):
    if not os.path.exists(BARS_BIN):
        if required:
            sys.exit(f"{BARS_BIN} missing: run `cargo run --release --bin check` first")
        print(f"data check: skipped ({BARS_BIN} not found)")
        return
    raw = np.fromfile(BARS_BIN, dtype="<f8")
    if raw.size != 5 * N:
        sys.exit(f"{BARS_BIN}: {raw.size} values, expected {5 * N}")
    ref = raw.reshape(5, N)
    for name, mine, theirs in zip(("open", "high", "low", "close", "volume"), cols, ref):
        if not np.array_equal(mine.view(np.uint64), theirs.view(np.uint64)):
            bad = int(np.argmax(mine.view(np.uint64) != theirs.view(np.uint64)))
            sys.exit(f"data check FAILED: {name}[{bad}] = {mine[bad]!r} vs Rust {theirs[bad]!r}")
    print(f"data check: identical to {BARS_BIN} (bit for bit, all 5 columns)")


def bench(fn, reps):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) / N * 1e9, statistics.median(times) / N * 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=10)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--verify", action="store_true", help="require /tmp/peers_bars.bin and compare")
    g.add_argument("--no-verify", action="store_true", help="skip the data comparison")
    args = ap.parse_args()

    t0 = time.perf_counter()
    o, h, lo, c, v = bars(N)
    print(f"generated {N} bars in {time.perf_counter() - t0:.1f} s; "
          f"sum(close) = {np.add.accumulate(c)[-1]:.17e}, last close = {c[-1]:.17e}")
    if not args.no_verify:
        verify((o, h, lo, c, v), args.verify)

    ta_version = getattr(talib, "__ta_version__", b"?")
    if isinstance(ta_version, bytes):
        ta_version = ta_version.decode()
    print(f"talib (Python) {talib.__version__}, TA-Lib C {ta_version}, numpy {np.__version__}")

    # Last values, to compare with `cargo run --release --bin check`.
    rsi = talib.RSI(c, timeperiod=14)
    macd, sig, hist = talib.MACD(c, fastperiod=12, slowperiod=26, signalperiod=9)
    atr = talib.ATR(h, lo, c, timeperiod=14)
    print(f"last RSI {rsi[-1]:.12f}  MACD ({macd[-1]:.9e}, {sig[-1]:.9e}, {hist[-1]:.9e})  "
          f"ATR {atr[-1]:.9e}")

    cases = [
        ("rsi_14", lambda: talib.RSI(c, timeperiod=14)),
        ("macd_12_26_9", lambda: talib.MACD(c, fastperiod=12, slowperiod=26, signalperiod=9)),
        ("atr_14", lambda: talib.ATR(h, lo, c, timeperiod=14)),
    ]
    print(f"\nTA-Lib C batch via talib, {N} bars, {args.reps} reps (ns/bar):")
    print(f"{'indicator':<14} {'best':>8} {'median':>8}")
    for name, fn in cases:
        fn()  # warm-up
        best, med = bench(fn, args.reps)
        print(f"{name:<14} {best:>8.2f} {med:>8.2f}")


if __name__ == "__main__":
    main()
