"""Files that other tools read by themselves: xarray (through h5netcdf, the netCDF-4 reader Debian has)
opens every group of a real run and compare file with labelled axes, with nothing of redes imported.
Skipped (with the reason) until the binary is built at $REDES_BIN or <repo>/build/redes."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))

# Run in a fresh interpreter: nothing of redes (or analysis) is imported there.
PROBE = r"""
import sys, h5py, xarray as xr
path, group, dataset, dims = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
ds = xr.open_dataset(path, group=group, engine="h5netcdf")
da = ds[dataset]
assert list(da.dims) == dims, (da.dims, dims)
for d in dims:
    assert d in ds.coords, f"dimension {d} has no coordinate (labels) in group {group}"
with h5py.File(path) as f:
    for d in dims:
        want = [x.decode() if isinstance(x, bytes) else x for x in f["/labels/" + d][()].tolist()]
        assert list(ds.coords[d].values) == want, (d, list(ds.coords[d].values)[:5], want[:5])
    assert (da.values == f[group + "/" + dataset][()]).all()
print("ok", group, dataset, dict(da.sizes))
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.skip(f"redes binary not found at {BIN} (set REDES_BIN or build into <repo>/build)")
    pytest.importorskip("xarray")
    pytest.importorskip("h5netcdf")
    out = tmp_path_factory.mktemp("xr")
    run, comp = out / "run.h5", out / "compare.h5"
    for cmd in (["run", "scenarios/workshop/small.yaml", "--replicates", "2", "--seed", "3", "-o", str(run)],
                ["compare", "scenarios/workshop/small.yaml", "scenarios/workshop/literacy.yaml",
                 "--replicates", "2", "--seed", "3", "-o", str(comp)]):
        p = subprocess.run([str(BIN)] + cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, p.stderr
    return run, comp


@pytest.mark.parametrize("which,group,dataset,dims", [
    ("run", "/summary", "victims_by_route", "replicate,route"),
    ("run", "/summary", "victims_by_department", "replicate,department"),
    ("run", "/observed", "recorded_victims", "replicate,year"),
    ("run", "/trajectories", "stock_by_department", "replicate,day,stage,department"),
    ("run", "/interventions", "reach", "replicate,day,intervention"),
    ("compare", "/arms/baseline/summary", "victims_by_age_group", "replicate,age_group"),
])
def test_xarray_opens_groups_with_labelled_axes(files, which, group, dataset, dims):
    path = files[0] if which == "run" else files[1]
    # -I: isolated mode, so the repository is not on sys.path of the probe.
    p = subprocess.run([sys.executable, "-I", "-c", PROBE, str(path), group, dataset, dims],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr + p.stdout


# Every group that holds arrays, in one fresh interpreter per file: each dimension has coordinates.
EVERY_GROUP = r"""
import sys, h5py, xarray as xr
path, skip_root = sys.argv[1], sys.argv[2] == "1"
groups = []
with h5py.File(path) as f:
    f.visititems(lambda n, o: groups.append("/" + n) if isinstance(o, h5py.Group) and not n.startswith("labels") else None)
opened = 0
for g in ([] if skip_root else ["/"]) + groups:
    ds = xr.open_dataset(path, group=g, engine="h5netcdf")
    bare = [d for d in ds.dims if d not in ds.coords]
    assert not bare, f"group {g}: dimensions without labels {bare}"
    opened += len(ds.data_vars) > 0
    ds.close()
print("ok", opened)
"""


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.skip(f"redes binary not found at {BIN} (set REDES_BIN or build into <repo>/build)")
    pytest.importorskip("h5netcdf")
    out = tmp_path_factory.mktemp("xr_sweep") / "sweep.h5"
    p = subprocess.run([str(BIN), "sweep", "tests/data/sweep_tiny.yaml", "-o", str(out), "--threads", "2"], cwd=REPO,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return out


@pytest.mark.parametrize("which", ["run", "compare", "sweep"])
def test_xarray_opens_every_group_with_labelled_axes(files, sweep_file, which):
    path = {"run": files[0], "compare": files[1], "sweep": sweep_file}[which]
    # The root group of a run file holds /events, a compound table without a labelled axis (README, Python).
    p = subprocess.run([sys.executable, "-I", "-c", EVERY_GROUP, str(path), "1" if which == "run" else "0"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr + p.stdout
    assert int(p.stdout.split()[1]) >= 2
