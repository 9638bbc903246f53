"""`import redes` (the pybind11 module built into <build>/python): a run from Python writes the
CLI's file bit for bit, overrides are checked like the YAML reader's, Ctrl-C stops a run within a
second and leaves no file, and other Python threads run while the simulator does (GIL released).
Skipped (with the reason) until the binary and the module are built (REDES_BIN's folder/python)."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))
MODULE_DIR = BIN.parent / "python"
WORKSHOP = REPO / "scenarios" / "workshop" / "small.yaml"


@pytest.fixture(scope="module")
def redes():
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.skip(f"redes binary not found at {BIN} (set REDES_BIN or build into <repo>/build)")
    if not list((MODULE_DIR / "redes").glob("_core*.so")):
        pytest.skip(f"Python module not built in {MODULE_DIR} (needs pybind11-dev and python3-dev)")
    sys.path.insert(0, str(MODULE_DIR))
    try:
        import redes as module
    finally:
        sys.path.remove(str(MODULE_DIR))
    return module


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def test_run_from_python_writes_the_cli_file_bit_for_bit(redes, tmp_path):
    cli, py = tmp_path / "cli.h5", tmp_path / "py.h5"
    p = subprocess.run([str(BIN), "run", str(WORKSHOP), "--replicates", "2", "--seed", "11", "-o", str(cli)],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    res = redes.run(WORKSHOP, seed=11, replicates=2, output=py)
    a = same_datasets(cli, py)
    # The returned Datasets carry the file's axis names and labels.
    v = res["/summary"]["victims_by_route"]
    assert v.dims == ("replicate", "route")
    assert list(v.coords["route"].values) == ["hunting", "fishing", "trusted_contact"]
    assert (v.values == a["summary/victims_by_route"]).all()
    assert res.metadata["kind"] == "run" and res.metadata["seed"] == 11
    # output=None keeps nothing and returns the same numbers.
    mem = redes.run(WORKSHOP, seed=11, replicates=2)
    assert mem.path is None
    assert (mem["/observed"]["recorded_cases"].values == a["observed/recorded_cases"]).all()


def same_datasets(cli, py):
    a, b = datasets(cli), datasets(py)
    assert sorted(a) == sorted(b) and len(a) > 40
    for name in a:
        assert a[name].dtype == b[name].dtype and a[name].shape == b[name].shape, name
        if a[name].dtype.kind == "O":  # variable-length strings (axis labels): compare the texts
            assert a[name].tolist() == b[name].tolist(), f"dataset {name} differs"
        else:
            assert a[name].tobytes() == b[name].tobytes(), f"dataset {name} differs"
    return a


def test_compare_from_python_writes_the_cli_file_and_reads_with_labelled_axes(redes, tmp_path):
    out, py = tmp_path / "compare.h5", tmp_path / "py.h5"
    literacy = REPO / "scenarios/workshop/literacy.yaml"
    p = subprocess.run([str(BIN), "compare", str(WORKSHOP), str(literacy),
                        "--replicates", "2", "--seed", "3", "-o", str(out)], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    redes.compare(WORKSHOP, [literacy], seed=3, replicates=2, output=py)
    same_datasets(out, py)
    with pytest.raises(ValueError, match="population.size"):
        redes.compare(WORKSHOP, [literacy], overrides={"population.size": 1}, output=tmp_path / "bad.h5")
    res = redes.open(out)
    assert "/arms/baseline/summary" in res and "/compare" in res
    averted = res["/compare"]["victims_averted"]
    assert averted.dims == ("intervention", "replicate")
    assert list(averted.coords["intervention"].values) == ["digital literacy in schools"]
    with h5py.File(out) as f:
        assert (averted.values == f["/compare/victims_averted"][()]).all()


@pytest.mark.parametrize("overrides,key,reason", [
    ({"population.sise": 5000}, "population.sise", "did you mean 'size'"),
    ({"population.size": -5}, "population.size", "out of range"),
    ({"population.size": "many"}, "population.size", "many"),
    ({"interventions[3].coverage": 0.5}, "interventions[3].coverage", "cannot override"),
])
def test_a_bad_override_raises_value_error_naming_the_key_and_reason(redes, tmp_path, overrides, key, reason):
    out = tmp_path / "bad.h5"
    with pytest.raises(ValueError) as e:
        redes.run(WORKSHOP, overrides=overrides, output=out)
    assert f"key '{key}'" in str(e.value) and reason in str(e.value), str(e.value)
    assert not out.exists()


def test_a_good_override_changes_the_scenario(redes):
    text = redes.check(WORKSHOP, {"population.size": 12345, "calendar.years": 2})
    assert "12345" in text
    res = redes.run(WORKSHOP, overrides={"population.size": 3000, "calendar.years": 2}, seed=1)
    assert res.metadata["agents"] == 3000 and res.metadata["days"] == 730


# Run in a child interpreter: the signal goes to that process, not to pytest.
CHILD = textwrap.dedent("""
    import os, signal, sys, threading, time
    # Python leaves SIGINT ignored when its parent ignored it (a background job of a shell, as CI
    # may start the tests); an interactive session has the KeyboardInterrupt handler, so install it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.path.insert(0, sys.argv[1])
    import redes
    scenario, out, mode = sys.argv[2], sys.argv[3], sys.argv[4]
    seen = []
    def progress(done, total):
        seen.append((done, total))
    if mode == "sigint":
        def interrupt():  # once simulating (the population build is not interruptible)
            while not seen or seen[-1][0] == 0:
                time.sleep(0.02)
            time.sleep(0.3)
            global sent
            sent = time.monotonic()
            os.kill(os.getpid(), signal.SIGINT)
        threading.Thread(target=interrupt, daemon=True).start()
        try:
            redes.run(scenario, seed=2, replicates=40, threads=1, output=out, progress=progress)
            print("finished without interruption")
        except KeyboardInterrupt:
            print(f"interrupted after {time.monotonic() - sent:.3f} s; days {seen[-1][0]} of {seen[-1][1]}")
    else:
        ticks, stop = [0], threading.Event()
        def count():
            while not stop.is_set():
                ticks[0] += 1
                time.sleep(0.005)
        t = threading.Thread(target=count)
        t.start()
        t0 = time.monotonic()
        redes.run(scenario, seed=2, replicates=3, threads=1, output=out, progress=progress)
        took = time.monotonic() - t0
        stop.set(); t.join()
        print(f"ticks {ticks[0]} in {took:.3f} s; progress {seen[-1][0] if seen else 0} of {seen[-1][1] if seen else 0}")
""")


def child(mode, out):
    p = subprocess.run([sys.executable, "-c", CHILD, str(MODULE_DIR), str(WORKSHOP), str(out), mode],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip().splitlines()[-1]


def test_ctrl_c_stops_a_long_run_within_a_second_and_leaves_no_file(redes, tmp_path):
    out = tmp_path / "long.h5"
    line = child("sigint", out)
    assert line.startswith("interrupted after"), line
    took = float(line.split()[2])
    done, total = int(line.split()[5]), int(line.split()[7])
    assert took < 1.0, line
    assert 0 < done < total, line  # stopped mid-run, not at the end
    assert list(tmp_path.iterdir()) == [], f"left behind: {list(tmp_path.iterdir())}"


def test_other_python_threads_run_while_the_simulator_runs(redes, tmp_path):
    line = child("gil", tmp_path / "gil.h5")
    ticks, took = int(line.split()[1]), float(line.split()[3])
    assert took > 1.0, line  # long enough to tell
    # With the GIL held by the run, the counting thread would not run at all until it ends.
    assert ticks > 0.3 * took / 0.005, line
    assert line.endswith(f"of {3 * 1825}") and f"progress {3 * 1825}" in line, line


def test_sweep_from_python_writes_the_cli_file(redes, tmp_path):
    sweep = REPO / "tests" / "data" / "sweep_tiny.yaml"
    cli, py = tmp_path / "cli.h5", tmp_path / "py.h5"
    p = subprocess.run([str(BIN), "sweep", str(sweep), "-o", str(cli), "--threads", "2"], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr
    seen = []
    res = redes.sweep(sweep, output=py, threads=2, progress=lambda done, total: seen.append((done, total)))
    a, b = datasets(cli), datasets(py)
    assert sorted(a) == sorted(b)
    for name in a:
        if a[name].dtype.kind != "O":
            assert a[name].tobytes() == b[name].tobytes(), f"dataset {name} differs"
    assert seen[-1] == (12, 12)
    assert res["/sweep/points"]["mean"].dims == ("point", "metric")
    assert not (tmp_path / "py.h5.journal").exists()
