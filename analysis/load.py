"""Read redes HDF5 files (sim/output/output_format.md) into labelled arrays and tidy DataFrames.

Every axis is found by its name (the dataset's `axes` attribute) and its values come from its
scale under /labels, so readers never depend on the order in which the writer laid out axes or
categories. Problems a user can fix (wrong file, missing group) raise ReportError with a plain
message.

Damaged or forged files: libhdf5 follows variable-length data into the file's global heap without
checking it (a forged reference can hang or crash it). redes writes fixed-length attributes and
names axes in `axes`, so this module never reads the dimension-scale attributes
(DIMENSION_LIST, DIMENSION_LABELS); it refuses other variable-length attributes, and checks the
heap references of variable-length label datasets against their heap before reading them.
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


#: HDF5's dimension-scale bookkeeping: variable-length data for other tools, never read here.
SCALE_ATTRIBUTES = ("DIMENSION_LIST", "REFERENCE_LIST", "DIMENSION_LABELS", "CLASS", "NAME")


def _variable_length(tid) -> bool:
    """True for types whose values libhdf5 reads from a global heap (or may hold such parts)."""
    if isinstance(tid, h5py.h5t.TypeStringID):
        return bool(tid.is_variable_str())
    return tid.get_class() in (h5py.h5t.VLEN, h5py.h5t.COMPOUND, h5py.h5t.ARRAY, h5py.h5t.REFERENCE)


def attrs(obj) -> dict:
    """All attributes of a group or dataset as plain Python values (dimension-scale ones left out).

    A variable-length attribute is refused before its value is read (see the module docstring)."""
    out = {}
    for k in obj.attrs:  # names only: no value is read here
        if k in SCALE_ATTRIBUTES:
            continue
        if _variable_length(obj.attrs.get_id(k).get_type()):
            raise ReportError(f"file {obj.file.filename}: attribute {k!r} of {obj.name} is a variable-length "
                              "string, which redes does not read (files made before 2026-12-02 have them: make "
                              "the file again with this version; the same scenario and seed give the same numbers)")
        out[k] = _text(obj.attrs[k])
    return out


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


def _little_endian(b: bytes) -> int:
    return int.from_bytes(b, "little")


def check_heap_references(ds: h5py.Dataset) -> None:
    """Before reading a variable-length string dataset: each stored element must name an object of
    its own length in its global heap collection (libhdf5 1.10 follows the index unchecked). Only
    a contiguous layout can be checked, and it is the only one redes writes; others are refused.
    The same check as the C++ reader's (sim/output/h5.cpp)."""
    if not _variable_length(ds.id.get_type()):
        return
    where = f"file {ds.file.filename}: dataset {ds.name}"
    if ds.id.get_create_plist().get_layout() != h5py.h5d.CONTIGUOUS:
        raise ReportError(f"{where} holds variable-length strings stored chunked or compact, which redes "
                          "never writes and cannot check")
    offset = ds.id.get_offset()
    if offset is None or ds.size == 0:
        return  # nothing stored
    fcpl = ds.file.id.get_create_plist()
    addr_bytes, size_bytes = fcpl.get_sizes()
    base = fcpl.get_userblock()
    if not (0 < addr_bytes <= 8 and 0 < size_bytes <= 8):
        raise ReportError(f"{where}: damaged file (bad address sizes)")
    element = 4 + addr_bytes + 4  # length, heap collection address, object index
    damaged = ReportError(f"{where}: damaged variable-length data")
    with open(ds.file.filename, "rb") as raw:
        end = raw.seek(0, 2)

        def read(at: int, count: int) -> bytes:
            if at < 0 or count < 0 or at + count > end:
                raise damaged
            raw.seek(at)
            return raw.read(count)

        elements = read(base + offset, ds.size * element)
        collections: dict[int, dict[int, int]] = {}
        for i in range(ds.size):
            e = elements[i * element:(i + 1) * element]
            length = _little_endian(e[:4])
            heap = _little_endian(e[4:4 + addr_bytes])
            index = _little_endian(e[4 + addr_bytes:])
            if heap == 0:
                continue  # a null element: libhdf5 does not read the heap
            if heap not in collections:
                # "GCOL", version 1, 3 reserved bytes, its size; then objects: index (2), reference
                # count (2), 4 reserved, size, data padded to 8 bytes; index 0 is free space.
                head = read(base + heap, 8 + size_bytes)
                if head[:4] != b"GCOL" or head[4] != 1:
                    raise damaged
                total = _little_endian(head[8:])
                body = read(base + heap, total)
                # Walked as libhdf5 walks it: to the end, past free space (index 0, whose size
                # counts its header), a later record of an index replacing an earlier one.
                header = 8 + size_bytes
                objects, at = {}, header
                while at + header <= total:
                    oid = _little_endian(body[at:at + 2])
                    size = _little_endian(body[at + 8:at + 8 + size_bytes])
                    need = size if oid == 0 else header + (size + 7) // 8 * 8
                    if need < header or need > total - at:
                        raise damaged
                    if oid:
                        objects[oid] = size
                    at += need
                collections[heap] = objects
            if collections[heap].get(index) != length:
                raise damaged


def scale_values(scale: h5py.Dataset) -> np.ndarray:
    """Values of a dimension scale: strings for categorical axes, integers for numeric ones."""
    check_heap_references(scale)
    if scale.dtype.kind in "SUO" or h5py.check_string_dtype(scale.dtype):
        try:
            vals = scale.asstr()[()]
        except (TypeError, ValueError):
            vals = scale[()]
        return np.array([_text(v) for v in np.atleast_1d(vals)], dtype=object)
    return np.atleast_1d(scale[()])


def axis_names(ds: h5py.Dataset) -> list[str]:
    """The name of each dimension of `ds`, from its fixed-length attribute `axes`."""
    names = attrs(ds).get("axes")
    if names is None:
        raise ReportError(f"dataset {ds.name} in file {ds.file.filename} has no 'axes' attribute naming its "
                          "dimensions (files made before 2026-12-02 lack it: make the file again with this version)")
    names = str(names).split(",")
    if len(names) != ds.ndim or not all(n and "/" not in n for n in names):
        raise ReportError(f"dataset {ds.name} in file {ds.file.filename}: its 'axes' attribute does not name its "
                          f"{ds.ndim} dimension(s)")
    return names


def is_scale(ds: h5py.Dataset) -> bool:
    """True for an axis' scale, at /labels/<name> or hard-linked into a data group (for netCDF
    readers): the same object as /labels/<name>, told without reading its attributes."""
    same = ds.file.get("/labels/" + ds.name.rsplit("/", 1)[-1])
    return isinstance(same, h5py.Dataset) and same == ds


def axes(ds: h5py.Dataset) -> list[tuple[str, np.ndarray]]:
    """(name, values) for each dimension of `ds`: names from `axes`, values from /labels/<name>,
    positions 0..n-1 for an axis without a scale (person ids, for example)."""
    out = []
    for i, name in enumerate(axis_names(ds)):
        scale = ds.file.get(f"/labels/{name}")
        if isinstance(scale, h5py.Dataset):
            values = scale_values(scale)
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
