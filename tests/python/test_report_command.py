"""`redes report` and `redes export` run the Python analysis with an interpreter that has h5py
(REDES_PYTHON, else /usr/bin/python3, else python3 on PATH), whatever python3 comes first on PATH;
export writes every summary dataset as a tidy CSV with its axis labels as columns.
Skipped (with the reason) until the binary is built at $REDES_BIN or <repo>/build/redes."""
import csv
import os
import shutil
import stat
import subprocess
from pathlib import Path

import h5py
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.skip(f"redes binary not found at {BIN} (set REDES_BIN or build into <repo>/build)")
    out = tmp_path_factory.mktemp("report_cmd")
    run, comp = out / "run.h5", out / "compare.h5"
    for cmd in (["run", "scenarios/workshop/small.yaml", "--replicates", "2", "--seed", "5", "-o", str(run)],
                ["compare", "scenarios/workshop/small.yaml", "scenarios/workshop/literacy.yaml",
                 "--replicates", "2", "--seed", "5", "-o", str(comp)]):
        p = subprocess.run([str(BIN)] + cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, p.stderr
    return run, comp


def fake_python(folder: Path, works: bool) -> Path:
    """A python3 that only answers `-c` probes: either fails every import (like pyenv's without
    h5py) or logs its call and hands over to Debian's interpreter."""
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "python3"
    body = (f'echo "$@" >> {folder}/calls\nexec /usr/bin/python3 "$@"\n' if works
            else 'echo "ModuleNotFoundError: No module named h5py" >&2\nexit 1\n')
    p.write_text("#!/bin/sh\n" + body)
    p.chmod(p.stat().st_mode | stat.S_IXUSR)
    return p


def redes(args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "REDES_PYTHON"}  # only when a test sets it
    env.update(env_extra or {})
    return subprocess.run([str(BIN)] + args, cwd=cwd or REPO, capture_output=True, text=True, timeout=300, env=env)


def test_report_works_when_the_first_python3_on_path_lacks_h5py(files, tmp_path):
    bad = fake_python(tmp_path / "pyenv", works=False)
    env = {"PATH": f"{bad.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    out = tmp_path / "report.html"
    # From another folder, so analysis/ is found from the binary, not from the working directory.
    p = redes(["report", str(files[0]), "-o", str(out), "--lang", "en"], env, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert out.stat().st_size > 10_000 and "<html" in out.read_text(encoding="utf-8")[:500].lower()


def test_redes_python_comes_first_and_is_skipped_when_it_lacks_h5py(files, tmp_path):
    good = fake_python(tmp_path / "good", works=True)
    out = tmp_path / "r.html"
    p = redes(["report", str(files[0]), "-o", str(out)], {"REDES_PYTHON": str(good)})
    assert p.returncode == 0, p.stderr
    calls = (good.parent / "calls").read_text()
    assert "-m analysis.report" in calls and "import h5py" in calls
    bad = fake_python(tmp_path / "bad", works=False)
    p = redes(["report", str(files[0]), "-o", str(out)], {"REDES_PYTHON": str(bad)})
    assert p.returncode == 0, p.stderr  # fell back to /usr/bin/python3


def test_no_usable_python_lists_every_candidate(files, tmp_path):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("hiding /usr/bin/python3 needs a private mount namespace (root and unshare)")
    bad = fake_python(tmp_path / "pyenv", works=False)
    script = f"mount --bind {bad} /usr/bin/python3 && exec {BIN} report {files[0]} -o {tmp_path}/r.html"
    env = dict(os.environ, PATH=f"{bad.parent}:/bin", REDES_PYTHON=str(tmp_path / "missing"), LANG="en_US.UTF-8")
    env.pop("LC_ALL", None), env.pop("LC_MESSAGES", None)
    p = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120, env=env)
    if "mount" in p.stderr and "permission" in p.stderr.lower():
        pytest.skip("this container does not allow mounts: " + p.stderr)
    assert p.returncode != 0
    assert "no Python interpreter can import h5py" in p.stderr, p.stderr
    assert f"REDES_PYTHON={tmp_path / 'missing'} (set in the environment): not found" in p.stderr
    assert "/usr/bin/python3: cannot import h5py" in p.stderr
    assert f"python3 on PATH ({bad}): cannot import h5py" in p.stderr
    assert "REDES_PYTHON" in p.stderr.splitlines()[-1]  # says what to do
    assert not (tmp_path / "r.html").exists()


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_export_csv_has_axis_labels_as_columns_and_every_value(files, tmp_path):
    bad = fake_python(tmp_path / "pyenv", works=False)
    out = tmp_path / "csv"
    p = redes(["export", str(files[1]), "--format", "csv", "-o", str(out)],
              {"PATH": f"{bad.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}"})
    assert p.returncode == 0, p.stderr
    names = sorted(x.name for x in out.iterdir())
    assert not [n for n in names if ".tmp-" in n]
    with h5py.File(files[1]) as f:
        for path, dims in (("/arms/baseline/summary/victims_by_route", ["replicate", "route"]),
                           ("/arms/baseline/observed/recorded_cases",
                            ["replicate", "year", "institution", "department", "sex_recorded", "age_group"]),
                           ("/compare/averted_mean", ["intervention"])):
            rows = read_csv(out / (path.strip("/").replace("/", ".") + ".csv"))
            assert rows[0] == dims + [path.rsplit("/", 1)[-1]]
            ds = f[path]
            assert len(rows) - 1 == ds.size
            labels = [[x.decode() if isinstance(x, bytes) else str(x) for x in f["/labels/" + d][()].tolist()]
                      for d in dims]
            data = ds[()]
            for row in rows[1:]:
                index = tuple(labels[i].index(v) for i, v in enumerate(row[:-1]))
                assert float(row[-1]) == pytest.approx(float(data[index]), rel=0, abs=0)
        # Every labelled summary dataset is there, and no daily trajectory.
        assert "arms.baseline.summary.victims.csv" in names and "compare.victims_averted.csv" in names
        assert not [n for n in names if "trajectories" in n]


def test_export_parquet_is_refused_with_the_reason(files, tmp_path):
    p = redes(["export", str(files[0]), "--format", "parquet", "-o", str(tmp_path / "pq")])
    assert p.returncode == 2
    assert "pyarrow" in p.stderr and "Debian 12" in p.stderr
    assert not (tmp_path / "pq").exists()
