"""Read redes HDF5 files (sim/output/output_format.md) into labelled arrays and tidy DataFrames.

Every axis is found by its dimension label and its values come from the attached dimension
scale, so readers never depend on the order in which the writer laid out axes or categories.
Problems a user can fix (wrong file, missing group) raise ReportError with a plain message.
"""
from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pandas as pd

#: Bytes read from a dataset per block when summing away axes (bounds memory on big runs).
BLOCK_BYTES = 64 << 20


class ReportError(Exception):
    """A problem with the input that the user can fix; the CLI prints it without a traceback."""


class MissingData(ReportError):
    """A dataset or group is absent; report sections catch this and print a note instead."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path


def open_h5(path) -> h5py.File:
    """Open a file read-only, turning 'missing' and 'not HDF5' into ReportError."""
    p = Path(path)
    if not p.is_file():
        raise ReportError(f"file {p} does not exist")
    try:
        return h5py.File(p, "r")
    except OSError as e:
        raise ReportError(f"file {p} is not a readable HDF5 file ({e})") from None


def _text(v):
    """Attribute and label values arrive as str, bytes or numpy scalars; give plain Python."""
    if isinstance(v, bytes):
        # A damaged or forged file may hold any bytes: show them, never fail on them.
        return v.decode("utf-8", errors="replace")
    if isinstance(v, np.generic):
        return _text(v.item())
    if isinstance(v, np.ndarray):
        return [_text(x) for x in v.tolist()]
    return v


def attrs(obj) -> dict:
    """All attributes of a group or dataset as plain Python values."""
    return {k: _text(obj.attrs[k]) for k in obj.attrs}


def split_list(value) -> list[str]:
    """Comma-separated attribute (or an array of strings) -> list of names."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(x).strip() for x in value]
    return [s.strip() for s in str(value).split(",") if s.strip()]


def require_group(f: h5py.File, path: str, why: str) -> h5py.Group:
    """The group at `path`, or ReportError("file X has no PATH group: WHY")."""
    if path not in f or not isinstance(f[path], h5py.Group):
        raise ReportError(f"file {f.filename} has no {path} group: {why}")
    return f[path]


def metadata(f: h5py.File) -> dict:
    """Attributes of /metadata; every redes file has them."""
    g = require_group(f, "/metadata", "it is not a redes output file")
    return attrs(g)


def kind(f: h5py.File) -> str:
    """The file kind ("run", "compare", ...) from /metadata attribute `kind`."""
    k = metadata(f).get("kind")
    if not k:
        raise ReportError(f"file {f.filename} has no 'kind' attribute on /metadata: "
                          "it is not a redes output file")
    return str(k)


def dataset(f: h5py.File, path: str) -> h5py.Dataset:
    """The dataset at `path`, or MissingData naming the file and path."""
    if path not in f or not isinstance(f[path], h5py.Dataset):
        raise MissingData(path, f"file {f.filename} has no dataset {path}")
    return f[path]


def _scale_values(scale: h5py.Dataset) -> np.ndarray:
    """Values of a dimension scale: strings for categorical axes, integers for numeric ones."""
    if scale.dtype.kind in "SUO" or h5py.check_string_dtype(scale.dtype):
        try:
            vals = scale.asstr()[()]
        except (TypeError, ValueError):
            vals = scale[()]
        return np.array([_text(v) for v in np.atleast_1d(vals)], dtype=object)
    return np.atleast_1d(scale[()])


def axes(ds: h5py.Dataset) -> list[tuple[str, np.ndarray]]:
    """(label, values) for each dimension of `ds`, from its labels and attached scales.

    Falls back to the scale stored under /labels/<label> if none is attached, and to positions
    0..n-1 only when the file has no scale at all for that axis.
    """
    out = []
    for i, dim in enumerate(ds.dims):
        name = dim.label
        if not name:
            raise ReportError(f"dataset {ds.name} in file {ds.file.filename} has no label on "
                              f"dimension {i}; redes files label every dimension")
        if len(dim):
            values = _scale_values(dim[0])
        elif f"/labels/{name}" in ds.file:
            values = _scale_values(ds.file[f"/labels/{name}"])
        else:
            values = np.arange(ds.shape[i])
        if len(values) != ds.shape[i]:
            raise ReportError(f"dataset {ds.name} in file {ds.file.filename}: axis '{name}' has "
                              f"{ds.shape[i]} entries but its scale has {len(values)} labels")
        out.append((name, values))
    return out


def _sum_blocks(ds: h5py.Dataset, drop: tuple[int, ...]) -> np.ndarray:
    """Sum `ds` over the axes in `drop`, reading blocks along axis 0 to bound memory."""
    acc = np.int64 if ds.dtype.kind in "iub" else np.float64
    per_row = max(1, ds.size // max(1, ds.shape[0]) * ds.dtype.itemsize)
    step = max(1, BLOCK_BYTES // per_row)
    total, parts = None, []
    for s in range(0, ds.shape[0], step):
        block = ds[s:s + step].sum(axis=drop, dtype=acc)
        if 0 in drop:
            total = block if total is None else total + block
        else:
            parts.append(block)
    if 0 in drop:
        return total
    return np.concatenate(parts, axis=0)


def labelled(f: h5py.File, path: str, keep: list[str] | None = None):
    """(array, axes) for dataset `path`; with `keep`, other axes are summed away and the
    result's axes are in the order given by `keep` (whatever the order in the file)."""
    ds = dataset(f, path)
    ax = axes(ds)
    if keep is None:
        return ds[()], ax
    names = [n for n, _ in ax]
    unknown = [k for k in keep if k not in names]
    if unknown:
        raise ReportError(f"dataset {path} in file {f.filename} has no axis {unknown[0]!r} "
                          f"(axes: {', '.join(names)})")
    drop = tuple(i for i, n in enumerate(names) if n not in keep)
    arr = _sum_blocks(ds, drop) if drop else ds[()]
    kept = [n for n in names if n in keep]
    arr = np.transpose(arr, [kept.index(k) for k in keep])
    values = dict(ax)
    return arr, [(k, values[k]) for k in keep]


def tidy(f: h5py.File, path: str, keep: list[str] | None = None, value: str = "value") -> pd.DataFrame:
    """Dataset -> long DataFrame: one column per axis (named by its label) plus `value`.

    tidy(f, "/summary/victims_by_route") -> columns replicate, route, value.
    """
    arr, ax = labelled(f, path, keep)
    if not ax:
        return pd.DataFrame({value: [np.asarray(arr).item()]})
    index = pd.MultiIndex.from_product([v for _, v in ax], names=[n for n, _ in ax])
    return pd.DataFrame({value: np.asarray(arr).ravel()}, index=index).reset_index()


def per_replicate(f: h5py.File, path: str, by: str | None = None) -> pd.DataFrame:
    """Totals per replicate (and per category of axis `by`): a small wide table
    indexed by replicate, one column per category (or one column `value`)."""
    if by is None:
        arr, ax = labelled(f, path, ["replicate"])
        return pd.DataFrame({"value": arr}, index=pd.Index(ax[0][1], name="replicate"))
    arr, ax = labelled(f, path, ["replicate", by])
    return pd.DataFrame(arr, index=pd.Index(ax[0][1], name="replicate"),
                        columns=pd.Index(list(ax[1][1]), name=by))


def quantiles(values, level: float = 0.90) -> tuple[float, float, float]:
    """(median, lower, upper) of the central `level` interval across replicates."""
    v = np.asarray(values, dtype=float)
    a = (1 - level) / 2
    lo, med, hi = np.quantile(v, [a, 0.5, 1 - a])
    return float(med), float(lo), float(hi)


def summarise(wide: pd.DataFrame, level: float = 0.90) -> pd.DataFrame:
    """Per column of a per-replicate table: mean, median, lo, hi (central `level`), total, n."""
    a = (1 - level) / 2
    return pd.DataFrame({
        "mean": wide.mean(axis=0),
        "median": wide.median(axis=0),
        "lo": wide.quantile(a, axis=0),
        "hi": wide.quantile(1 - a, axis=0),
        "total": wide.sum(axis=0),
        "n": wide.count(axis=0),
    })
