#!/usr/bin/env python3
"""Times two builds of redes on the same command, in turn (A B A B ...), after a warm-up each.

Usage: compare_builds.py BIN_A BIN_B [--runs N] -- ARGS...
Runs `BIN_A ARGS` and `BIN_B ARGS` N times each (default 5) and prints, per build, the median,
minimum and maximum wall time and peak memory, and the median of the pair-by-pair ratios A/B
(alternating keeps a drifting machine speed out of the ratio). Each run's output goes to
/dev/null; a run that fails stops the comparison. Timings are of whole processes.
"""
import argparse
import os
import resource
import statistics
import sys
import time


def timed(cmd):
    """Wall seconds and peak resident memory (MiB) of one run of cmd."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"compare_builds: {' '.join(cmd)} exited with {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_maxrss / 1024.0


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_a")
    parser.add_argument("bin_b")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args(argv[:split])
    args = argv[split + 1:]
    a, b = [opts.bin_a] + args, [opts.bin_b] + args
    timed(a), timed(b)  # warm-up: page cache, CPU frequency
    runs = {"A": [], "B": []}
    for _ in range(opts.runs):
        runs["A"].append(timed(a))
        runs["B"].append(timed(b))
    for name, binary in (("A", opts.bin_a), ("B", opts.bin_b)):
        walls = [w for w, _ in runs[name]]
        peak = max(m for _, m in runs[name])
        print(f"{name} {binary}: wall median {statistics.median(walls):.3f} s "
              f"(min {min(walls):.3f}, max {max(walls):.3f}), peak {peak:.0f} MiB")
    ratios = [wa / wb for (wa, _), (wb, _) in zip(runs["A"], runs["B"])]
    print(f"A/B wall: median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f}) "
          f"over {opts.runs} pairs")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
