"""End to end with the real simulator: a small `redes sweep` (saltelli, 16 runs) and a small
`redes calibrate` (6 particles, one SMC generation) on a 3,000-person, 2-year cut of the workshop
scenario, then the loaders and the report. Skipped (with the reason) until the binary is built at
$REDES_BIN or <repo>/build/redes, or when that binary has no sweep/calibrate command yet."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analysis import report
from analysis.load import open_h5
from analysis.studies import load_calibration, load_sweep, weighted_quantile

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))
WORKSHOP = REPO / "scenarios" / "workshop" / "small.yaml"
LITERACY = REPO / "scenarios" / "paraguay" / "interventions" / "digital_literacy.yaml"
SWEEP_KEYS = ["recruitment.recruiters.per_100k", "interventions[0].coverage"]
CAL_KEYS = ["recruitment.recruiters.per_100k", "observation.fear"]

TINY = f"""include: {WORKSHOP}
name: Report test tiny
description: The workshop scenario cut to 3,000 persons and two years, for fast report tests.
override:
  population.size: {{value: 3000, assumed: "test size"}}
  population.represents: {{value: 3000, assumed: "a stand-alone test population"}}
  calendar.years: {{value: 2, assumed: "two years keep test runs fast"}}
"""

SWEEP = f"""name: report-test-sweep
description: Saltelli sweep for the report tests.
baseline: tiny.yaml
interventions: [{LITERACY}]
seed: 3
replicates: 1
design: {{type: saltelli, samples: 4}}
parameters:
  - {{key: "{SWEEP_KEYS[0]}", min: 25, max: 100}}
  - {{key: "{SWEEP_KEYS[1]}", min: 0.0, max: 0.9}}
outputs: [victims]
"""

CALIBRATION = f"""name: report-test-calibration
description: Calibration for the report tests.
baseline: tiny.yaml
seed: 5
parameters:
  - {{key: {CAL_KEYS[0]}, prior: loguniform, min: 20, max: 200}}
  - {{key: {CAL_KEYS[1]}, prior: uniform, min: 0.1, max: 0.9}}
targets:
  - {{name: police cases, model: cases.police, unit: cases, value: [3, 4], years: [2019, 2020], source: test}}
abc: {{particles: 6, generations: 1, rejection_keep: 0.5}}
"""


def _redes(*args, cwd):
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.skip(f"redes binary not found at {BIN} (set REDES_BIN or build into <repo>/build)")
    if subprocess.run([str(BIN), args[0], "--help"], capture_output=True, timeout=60).returncode != 0:
        pytest.skip(f"redes binary at {BIN} has no '{args[0]}' command")
    p = subprocess.run([str(BIN), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, f"redes {args[0]} failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("studies")
    (d / "tiny.yaml").write_text(TINY, encoding="utf-8")
    (d / "sweep.yaml").write_text(SWEEP, encoding="utf-8")
    (d / "calibration.yaml").write_text(CALIBRATION, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def real_sweep(workdir):
    out = workdir / "sweep.h5"
    _redes("sweep", "sweep.yaml", "-o", out, "--threads", "2", cwd=workdir)
    assert out.is_file()
    return out


@pytest.fixture(scope="module")
def real_calibration(workdir):
    out = workdir / "calibration.h5"
    _redes("calibrate", "calibration.yaml", "-o", out, "--threads", "2", cwd=workdir)
    assert out.is_file()
    return out


def _report(path, tmp_path) -> str:
    html_path = tmp_path / "report.html"
    p = subprocess.run([sys.executable, "-m", "analysis.report", str(path), "-o", str(html_path)],
                       cwd=REPO, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return html_path.read_text(encoding="utf-8")


def test_real_sweep_loads_and_reports(real_sweep, tmp_path):
    with open_h5(real_sweep) as f:
        s = load_sweep(f)
    assert (s.design, s.samples, s.replicates, s.points, s.n_runs) == ("saltelli", 4, 1, 16, 16)
    assert s.complete and s.parameters == SWEEP_KEYS
    assert "victims" in s.metrics and s.outputs() == ["victims"]
    assert s.design_values.shape == (16, 2) and s.point_mean.shape == (16, len(s.metrics))
    v = s.design_values
    assert v[SWEEP_KEYS[0]].between(25, 100).all() and v[SWEEP_KEYS[1]].between(0, 0.9).all()
    assert sorted(s.sensitivity["parameter"]) == sorted(SWEEP_KEYS)
    # one replicate per point: the point mean is that run's value
    runs = s.tidy_runs("victims").set_index("point")["value"].sort_index()
    np.testing.assert_allclose(s.point_mean["victims"].to_numpy(), runs.to_numpy())

    html = _report(real_sweep, tmp_path)
    assert "16 points x 1 replicate = 16 runs; complete: all 16 runs are in this file." in html
    for title in ("Design and completeness", "Sensitivity: Sobol indices", "People recruited by parameter value"):
        assert f"<h3>{title}</h3>" in html
    assert 'data-table="sobol"' in html and "model estimate" in html
    assert html.count("<img ") == 2


def test_real_calibration_loads_and_reports(real_calibration, tmp_path):
    with open_h5(real_calibration) as f:
        c = load_calibration(f)
    assert c.parameters == CAL_KEYS and len(c.posterior) == 6
    assert 1 <= len(c.generations) <= 2 and list(c.fit.index) == ["police cases 2019", "police cases 2020"]
    assert c.fit["target"].tolist() == ["police cases", "police cases"]
    assert c.fit_model.shape == (6, 2)
    np.testing.assert_allclose(c.fit["observed"], [3, 4])
    # the Python weighted quantile agrees with the one redes wrote
    for p in CAL_KEYS:
        assert c.weighted_interval(p) == pytest.approx(tuple(c.summary.loc[p, ["median", "q05", "q95"]]))
        assert (c.summary.loc[p, "q05"] >= c.summary.loc[p, "prior_min"]) and \
               (c.summary.loc[p, "q95"] <= c.summary.loc[p, "prior_max"])
    assert weighted_quantile(c.posterior["hidden_victims"], c.posterior["weight"], 0.5) == pytest.approx(
        c.victims.at["hidden", "median"])

    html = _report(real_calibration, tmp_path)
    h = c.victims.loc["hidden"]
    assert (f"Model estimate: {report.fmt_count(h['median'])} victims over 2 years were never recorded by any "
            f"institution (90% posterior interval {report.fmt_range(h['q05'], h['q95'])})") in html
    for title in ("Calibrated parameters", "Hidden and recorded victims", "Fit to the targets", "Posterior particles",
                  "Diagnostics by generation"):
        assert f"<h3>{title}</h3>" in html
    assert 'data-table="fit"' in html and 'data-table="posterior"' in html
    assert html.count("<img ") == 2


def test_real_sweep_shard_is_reported_incomplete(workdir, tmp_path):
    """One shard of three holds a third of the runs: incomplete, no indices, which shard it is."""
    _redes("sweep", "sweep.yaml", "-o", "part.h5", "--shard", "1/3", "--threads", "2", cwd=workdir)
    shard = workdir / "part.shard-1-of-3.h5"
    assert shard.is_file()
    with open_h5(shard) as f:
        s = load_sweep(f)
    assert not s.complete and s.runs_completed == 6 and s.sensitivity is None
    html = _report(shard, tmp_path)
    assert ("16 points x 1 replicate = 16 runs; incomplete: only 6 of 16 runs are in this file (shard 1 of 3) "
            "(10 missing, at 10 of 16 points), so no sensitivity indices are shown.") in html
    assert 'data-table="sobol"' not in html and "No indices: the sweep is incomplete" in html
