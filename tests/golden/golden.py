"""Golden regression files: shipped scenarios run with fixed seeds, every dataset compared exactly.

    golden.py check NAME --redes BIN    run case NAME and compare with tests/golden/NAME.golden
    golden.py update [NAME] --redes BIN rewrite the golden files (review the diff; commit it on its own)

Results do not depend on the thread count, so one file serves every machine. Small datasets are
stored value by value (a change shows where it is); large ones as shape, sum and SHA-256.
"""
import argparse
import difflib
import hashlib
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = "20261130"
CASES = {
    "workshop-small": ["run", "scenarios/workshop/small.yaml", "--replicates", "2", "--seed", SEED],
    "paraguay-1-50": ["run", "scenarios/paraguay/calibration-sample.yaml", "--replicates", "2", "--seed", SEED],
    "workshop-compare": ["compare", "scenarios/workshop/small.yaml", "scenarios/workshop/literacy.yaml",
                         "scenarios/workshop/reporting.yaml", "--replicates", "2", "--seed", SEED],
}
# Written values that change from run to run by design (clock times, paths, threads).
VOLATILE_ATTRIBUTES = {"started_at", "finished_at", "threads", "redes_version", "git_commit", "scenario_file", "agent_days_per_second"}
INLINE_MAX = 256  # datasets up to this many values are stored value by value


def _fmt(x):
    if isinstance(x, bytes):
        return x.decode("utf-8", "replace")
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    return str(x.item() if hasattr(x, "item") else x)


def dump(path):
    lines = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            data = obj[()]
            arr = np.asarray(data)
            head = f"/{name} {arr.dtype.str if arr.dtype.names is None else 'compound'} {list(arr.shape)}"
            if arr.dtype.names is not None or arr.size > INLINE_MAX:
                digest = hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()[:32]
                total = "" if arr.dtype.names is not None or arr.dtype.kind in "OSU" else f" sum={_fmt(arr.sum())}"
                lines.append(f"{head}{total} sha256={digest}")
            else:
                lines.append(f"{head} = " + " ".join(_fmt(v) for v in arr.reshape(-1)))
        for key in sorted(obj.attrs):
            if key in VOLATILE_ATTRIBUTES or key in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"):
                continue
            value = obj.attrs[key]
            if isinstance(value, np.ndarray):
                value = " ".join(_fmt(v) for v in value.reshape(-1))
            lines.append(f"/{name} @{key} = {_fmt(value)}")

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return "\n".join(lines).splitlines()  # multi-line attributes (the scenario text) become several lines


def produce(name, redes):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        cmd = [redes] + CASES[name] + ["-o", out]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"golden {name}: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
        return dump(out)


def golden_file(name):
    return os.path.join(HERE, name + ".golden")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["check", "update"])
    ap.add_argument("name", nargs="?", choices=sorted(CASES))
    ap.add_argument("--redes", required=True, help="path of the redes binary")
    args = ap.parse_args()
    names = [args.name] if args.name else sorted(CASES)
    failed = 0
    for name in names:
        got = produce(name, args.redes)
        if args.action == "update":
            with open(golden_file(name), "w") as f:
                f.write("\n".join(got) + "\n")
            print(f"golden {name}: {len(got)} lines written")
            continue
        with open(golden_file(name)) as f:
            want = f.read().splitlines()
        if got == want:
            print(f"golden {name}: {len(got)} lines identical")
        else:
            failed += 1
            print(f"golden {name}: differs from {golden_file(name)} (if the change is intended: make golden-update, "
                  "and commit the new golden files on their own, saying why)")
            sys.stdout.writelines(l + "\n" for l in difflib.unified_diff(want, got, "golden", "now", lineterm="", n=0))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
