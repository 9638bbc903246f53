"""redes from Python: run or compare scenarios in-process and read any redes file as labelled arrays.

    import redes
    res = redes.run("scenarios/workshop/small.yaml", overrides={"population.size": 20000},
                    seed=1, replicates=4)                  # output=None: nothing kept on disk
    res["/summary"]["victims_by_route"].median("replicate")
    res = redes.open("out/compare.h5")                     # run, compare, sweep, calibration, ... files

Results are a dict of xarray.Dataset, one per HDF5 group holding arrays ("/summary", "/observed",
"/trajectories", "/arms/baseline/summary", "/compare", "/sweep/sensitivity", ...), with the file's
axis names as dimensions and its axis labels as coordinates; `.metadata` holds /metadata.
Built by CMake into build/python (PYTHONPATH=build/python); the simulator is redes._core.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import h5py
import xarray as xr

from redes import _core
from redes._files import attrs, axis_names, is_scale, scale_values

__all__ = ["run", "compare", "sweep", "open", "check", "Results"]
__version__ = _core.version


class Results(dict):
    """Group path -> xarray.Dataset; `metadata` is the file's /metadata attributes, `path` its file
    (None when the run was not kept)."""

    def __init__(self, groups, metadata, path):
        super().__init__(groups)
        self.metadata = metadata
        self.path = path

    def __repr__(self):
        kind = self.metadata.get("kind", "?")
        return f"<redes.Results kind={kind!r} path={self.path!r} groups={list(self)}>"


def check(scenario, overrides=None) -> str:
    """The scenario as composed, overrides applied, as YAML text; ValueError naming the key and the
    reason when a key or value is wrong (the checks of the YAML reader)."""
    return _core.check_scenario(os.fspath(scenario), dict(overrides or {}))


def run(scenario, overrides=None, seed=None, replicates=1, output=None, threads=None, progress=None) -> Results:
    """Simulate `scenario` (a YAML file) with `overrides` ({"dotted.key": value}, as `override:` in
    a scenario file) and return its results; `output` keeps the run file (the file `redes run -o`
    writes, bit for bit the same data for the same seed), None keeps nothing on disk.

    seed: default the scenario's; threads: default all cores; progress(days_done, days_total) is
    called about ten times a second. Ctrl-C stops the run within a simulated day and leaves no file.
    The GIL is released while the simulator runs, so other Python threads keep going.
    """
    return _simulate(lambda out: _core.run(os.fspath(scenario), dict(overrides or {}), seed, int(replicates),
                                           int(threads or 0), out, progress), output)


def compare(baseline, interventions, overrides=None, seed=None, replicates=1, output=None, threads=None,
            progress=None) -> Results:
    """Compare `baseline` with each intervention file (as `redes compare`: common random numbers,
    replicate r of every arm shares its seed) and return the compare file's groups ("/compare",
    "/arms/<arm>/summary", ...). `overrides` apply to the baseline, and so to every arm; the other
    arguments are those of run(). The same seed gives the CLI's file, dataset for dataset."""
    files = [os.fspath(interventions)] if isinstance(interventions, (str, os.PathLike)) else [os.fspath(f) for f in interventions]
    return _simulate(lambda out: _core.compare(os.fspath(baseline), files, dict(overrides or {}), seed, int(replicates),
                                               int(threads or 0), out, progress), output)


def sweep(sweep_file, output=None, threads=None, progress=None) -> Results:
    """Run a sweep file (as `redes sweep`: its design, replicates, seed and outputs; Sobol indices
    for a saltelli design) and return the sweep file's groups ("/sweep/sensitivity",
    "/sweep/points", "/sweep/runs", ...). progress(runs_done, runs_to_run). Ctrl-C stops handing
    out runs; the runs under way finish and stay in `output`.journal, so the same call resumes."""
    return _simulate(lambda out: _core.sweep(os.fspath(sweep_file), out, int(threads or 0), progress), output)


def _simulate(call, output) -> Results:
    """call(output path) writes a file; return it opened (kept at `output`, or read and removed)."""
    keep = output is not None
    tmpdir = None if keep else tempfile.mkdtemp(prefix="redes-")
    path = Path(output) if keep else Path(tmpdir) / "out.h5"
    try:
        call(os.fspath(path))
        res = open(path)
        if not keep:
            res.path = None
        return res
    finally:
        if not keep:
            for p in Path(tmpdir).iterdir():
                p.unlink()
            os.rmdir(tmpdir)


def _variable(ds: h5py.Dataset, scales: dict) -> tuple[xr.Variable, dict]:
    """An HDF5 dataset as an xarray Variable with its axis names (attribute `axes`), and its
    coordinates (/labels/<axis>; none for axes without labels such as person ids). Like the report,
    it never reads the dimension-scale attributes, which libhdf5 reads unchecked. `scales` keeps
    each label array read (and heap-checked) once per file."""
    dims, coords = axis_names(ds), {}
    for i, name in enumerate(dims):
        if name not in scales:
            scale = ds.file.get(f"/labels/{name}")
            scales[name] = scale_values(scale) if isinstance(scale, h5py.Dataset) else None
        if scales[name] is not None and scales[name].shape == (ds.shape[i],):
            coords[name] = scales[name]
    return xr.Variable(dims, ds[()], attrs(ds)), coords


def _table(ds: h5py.Dataset) -> xr.Dataset:
    """A compound table (/events) as one variable per field along an `event` axis."""
    data = ds[()]
    return xr.Dataset({f: ("event", data[f]) for f in ds.dtype.names}, attrs=attrs(ds))


def open(path) -> Results:  # noqa: A001 (redes.open, like xarray.open_dataset)
    """Every group of a redes HDF5 file that holds arrays, as xarray Datasets keyed by group path,
    with the same axis names and labels as the file, read into memory (the file is closed)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    groups: dict[str, xr.Dataset] = {}
    with h5py.File(path, "r") as f:
        metadata = attrs(f["/metadata"]) if "/metadata" in f else {}
        scales: dict = {}

        def visit(name, obj):
            if not isinstance(obj, h5py.Group) or name == "labels" or name.startswith("labels/"):
                return
            variables, coords = {}, {}
            for key, item in obj.items():
                if not isinstance(item, h5py.Dataset):
                    continue
                if item.dtype.names is not None:
                    groups["/" + (name + "/" if name else "") + key] = _table(item)
                    continue
                if is_scale(item):  # scales hard-linked into data groups
                    continue
                var, c = _variable(item, scales)
                variables[key] = var
                coords.update(c)
            if variables:
                groups["/" + name] = xr.Dataset(variables, coords={k: v for k, v in coords.items()
                                                                   if any(k in var.dims for var in variables.values())},
                                                attrs=attrs(obj))

        visit("", f)
        f.visititems(visit)
    return Results(groups, metadata, str(path))
