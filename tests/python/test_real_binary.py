"""End to end with the real simulator: `redes run` on the small workshop scenario, then the
report. Skipped (with the reason) until the binary is built at $REDES_BIN or <repo>/build/redes."""
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from analysis import report

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))
SCENARIO = REPO / "scenarios" / "workshop" / "small.yaml"


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.skip(f"redes binary not found at {BIN} (set REDES_BIN or build into <repo>/build)")
    if not SCENARIO.is_file():
        pytest.skip(f"scenario {SCENARIO.relative_to(REPO)} does not exist yet")
    out = tmp_path_factory.mktemp("real") / "run.h5"
    p = subprocess.run([str(BIN), "run", str(SCENARIO.relative_to(REPO)), "-o", str(out),
                        "--replicates", "3", "--seed", "1"], cwd=REPO, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, f"redes run failed ({p.returncode}):\n{p.stdout}\n{p.stderr}"
    assert out.is_file()
    return out


def test_report_from_real_run(real_run, tmp_path):
    html_path = tmp_path / "report.html"
    p = subprocess.run([sys.executable, "-m", "analysis.report", str(real_run), "-o", str(html_path)],
                       cwd=REPO, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    html = html_path.read_text(encoding="utf-8")
    assert "Model estimate: " in html and "people recruited over" in html and "across 3 replicates" in html

    with h5py.File(real_run) as f:
        assert f["/metadata"].attrs["kind"] == b"run"  # fixed-length string attributes: bytes in h5py
        victims_total = int(np.sum(f["/summary/victims"][()]))
    _, reps = report.render([real_run])
    n = reps[0].numbers
    assert n["headline"]["total"] == victims_total
    assert n["funnel"]["recruited_total"].sum() == victims_total
    assert n["victims_by_platform"]["total"].sum() == victims_total
