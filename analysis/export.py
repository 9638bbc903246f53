"""Export every summary dataset of a redes HDF5 file as a tidy table: one row per cell, one column
per axis with its labels (from the dimension scales, as every reader must), and the value.

    redes export FILE --format csv [-o DIR]      (or: python3 -m analysis.export FILE ...)

A summary dataset is a labelled numeric array without a `day` axis, outside the stored population
and graph: /summary, /observed, /compare, /decision, /optimize, /sweep, /calibration, the arms of a
compare file and /interventions totals. Daily trajectories and the event table are left out (they
are large; read them with h5py or xarray). One CSV per dataset, named by its path with '/' as '.',
e.g. summary.victims_by_route.csv. Parquet would need pyarrow, which Debian 12 does not package
(python3-pyarrow is absent from bookworm), so it is refused with that reason.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import math
import os
import sys
from pathlib import Path

import h5py
import numpy as np

from analysis.load import ReportError, axes, axis_names, is_scale, open_h5

#: Groups that hold inputs (the stored world) or the axis scales, not results.
SKIP_GROUPS = ("/labels", "/population", "/network")
#: Axes that make a dataset a trajectory rather than a summary.
BULK_AXES = ("day",)


def summary_datasets(f: h5py.File) -> list[h5py.Dataset]:
    """Every summary dataset of `f`, in file order (see the module docstring)."""
    found = []

    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset) or obj.dtype.names is not None or obj.dtype.kind not in "iuf":
            return
        path = "/" + name
        if path.startswith(SKIP_GROUPS) or obj.ndim == 0 or is_scale(obj):
            return
        labels = axis_names(obj)
        if any(a in BULK_AXES for a in labels):
            return
        found.append(obj)

    f.visititems(visit)
    return found


def _cell(v):
    """A value as CSV text: integers exactly, floats with all their digits, NaN as empty."""
    if isinstance(v, (np.integer, int)):
        return str(int(v))
    x = float(v)
    return "" if math.isnan(x) else repr(x)


def write_csv(ds: h5py.Dataset, path: Path) -> int:
    """`ds` as a tidy CSV at `path` (written under a temporary name, then renamed); returns rows."""
    named = axes(ds)
    value_column = ds.name.rsplit("/", 1)[-1]
    columns = [name for name, _ in named]
    if value_column in columns:  # e.g. /sweep/runs/point [run]: keep both columns apart
        value_column = "value"
    data = ds[()]
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(columns + [value_column])
            for index in itertools.product(*(range(n) for n in ds.shape)):
                w.writerow([_label(named[i][1][j]) for i, j in enumerate(index)] + [_cell(data[index])])
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return int(np.prod(ds.shape))


def _label(v):
    return str(int(v)) if isinstance(v, (np.integer, int)) else str(v)


def table_name(ds: h5py.Dataset) -> str:
    return ds.name.strip("/").replace("/", ".")


def export(file, out_dir=None, fmt="csv") -> tuple[Path, list[Path]]:
    """Writes one table per summary dataset of `file` into `out_dir` (default: <stem>-csv next to it)."""
    if fmt == "parquet":
        raise ReportError("Parquet export needs pyarrow, which Debian 12 does not package (no python3-pyarrow "
                          "in bookworm); use --format csv (pandas.read_csv reads it, and pandas or DuckDB can "
                          "convert it to Parquet where pyarrow is installed)")
    if fmt != "csv":
        raise ReportError(f"unknown export format '{fmt}'; choose csv")
    src = Path(file)
    out = Path(out_dir) if out_dir else src.with_name(src.stem + "-csv")
    with open_h5(src) as f:
        if "/metadata" not in f:
            raise ReportError(f"file {src} has no /metadata group: it is not a redes output file")
        datasets = summary_datasets(f)
        if not datasets:
            raise ReportError(f"file {src} has no summary datasets to export")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for ds in datasets:
            target = out / (table_name(ds) + ".csv")
            write_csv(ds, target)
            written.append(target)
    return out, written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="redes export", description=__doc__.splitlines()[0])
    ap.add_argument("file", help="HDF5 file written by redes")
    ap.add_argument("--format", default="csv", choices=["csv", "parquet"])
    ap.add_argument("-o", "--output", help="folder for the tables (default: <file stem>-csv next to the file)")
    a = ap.parse_args(argv)
    try:
        out, written = export(a.file, a.output, a.format)
    except ReportError as e:
        print(f"export: error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} table(s) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
