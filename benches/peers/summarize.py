#!/usr/bin/env python3
"""Prints the last `cargo bench` run of benches/peers.rs as a markdown table.

Reads criterion's <target>/criterion/<group>/<lib>/<mode>/new/estimates.json
(median point estimate, ns per iteration = per N bars) and divides by N.

Usage: python3 benches/peers/summarize.py [CARGO_TARGET_DIR]   (default /work/target-peers)
"""
import json
import os
import sys

N = 1_000_000
GROUPS = [("rsi_14", "RSI(14)"), ("macd_12_26_9", "MACD(12,26,9)"), ("atr_14", "ATR(14)")]
ROWS = [
    ("apex-ta", "stream"),
    ("ta-lib", "stream"),
    ("ta-lib", "batch"),
    ("ta", "stream"),
    ("wickra", "stream"),
    ("kand", "inc"),
    ("kand", "batch"),
    ("yata", "stream"),
]


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "/work/target-peers")
    root = os.path.join(target, "criterion")
    print("| library / mode | " + " | ".join(label for _, label in GROUPS) + " |")
    print("|---|" + "---:|" * len(GROUPS))
    for lib, mode in ROWS:
        cells = []
        for group, _ in GROUPS:
            path = os.path.join(root, group, lib, mode, "new", "estimates.json")
            try:
                with open(path) as f:
                    est = json.load(f)["median"]
                lo = est["confidence_interval"]["lower_bound"] / N
                hi = est["confidence_interval"]["upper_bound"] / N
                cells.append(f"{est['point_estimate'] / N:.2f} ({lo:.2f}–{hi:.2f})")
            except FileNotFoundError:
                cells.append("—")
        print(f"| {lib} {mode} | " + " | ".join(cells) + " |")
    print(f"\nns per bar: criterion median over {N} bars (95% CI of the median in parentheses); — = not benchmarked")


if __name__ == "__main__":
    main()
