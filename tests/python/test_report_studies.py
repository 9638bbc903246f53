"""The report for sweep and calibration files: headlines from the file's numbers, every victim
figure a model estimate with its interval, the Sobol, posterior and fit tables, the figures, and
no indices for an incomplete sweep."""
import html as html_mod
import re
import subprocess
import sys

import h5py
import matplotlib.colors
import numpy as np
import pytest

import fixtures
from analysis import plots, report
from analysis.report import fmt_count, fmt_range
from analysis.studies import load_calibration, load_sweep, posterior_correlation

PARAMS = list(fixtures.SWEEP_PARAMETERS)
OKABE = {c.lower() for c in plots.OKABE_ITO}


def headlines(html: str) -> list[str]:
    block = html.split('<section id="headlines">', 1)[1].split("</section>", 1)[0]
    return [html_mod.unescape(re.sub("<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", block)]


def section(html: str, key: str) -> str:
    return html.split(f'data-section="{key}"', 1)[1].split("</section>", 1)[0]


def cells(block: str) -> list[list[str]]:
    """Rows of the first table in `block`, as unescaped cell texts."""
    body = block.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[html_mod.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def victim_counts_are_estimates(lines):
    """Every headline that gives a number of victims or people recruited calls it a model estimate
    and gives its interval."""
    counted = [s for s in lines if re.search(r"\d[\d,]* (victims|people recruited)|people recruited per", s)]
    assert counted
    for s in counted:
        assert "model estimate" in s.lower(), s
        assert "interval" in s, s


# ---- sweep ----

def test_sweep_report_headlines_sections_and_sobol_table(sweep_file):
    path, t = sweep_file
    html, reps = report.render([path])
    lines = headlines(html)
    assert lines[0] == ("Sweep 'test-sweep': a Saltelli (Sobol) design with 4 base samples over 2 parameters, "
                        "16 points x 2 replicates = 32 runs; complete: all 32 runs are in this file.")
    v = t["mean"][:, 0]
    lo, med, hi = np.quantile(v, [0.05, 0.5, 0.95])
    assert lines[1].startswith(f"Model estimate: mean people recruited per design point over 60 days ranged from "
                               f"{fmt_count(v.min())} to {fmt_count(v.max())} (median {fmt_count(med)}, 90% "
                               f"interval over the 16 points {fmt_range(lo, hi)}).")
    assert lines[2] == ("Which parameters move victims in the model over the ranges chosen in the sweep (total "
                        "Sobol index, 95% interval; model estimate, not a property of the world): "
                        "recruitment.recruiters.per_100k 0.90 (0.85–1.10); interventions[0].coverage 0.12 (0.07–0.32).")
    assert lines[3].startswith("Which parameters move recorded victims in the model")
    assert len(lines) == 4  # indices within 0-1 and narrow enough: no instability warning
    victim_counts_are_estimates(lines)
    for key, title in (("sweep_design", "Design and completeness"), ("sobol", "Sensitivity: Sobol indices"),
                       ("sweep_scatter", "People recruited by parameter value"), ("metadata", "Provenance")):
        assert f'data-section="{key}"' in html and f"<h3>{title}</h3>" in html, key
    assert "omitted" not in reps[0].numbers
    sobol = section(html, "sobol")
    assert "not how the world works" in sobol and "over the ranges chosen in the sweep file" in sobol
    rows = cells(sobol.split('data-table="sobol"', 1)[1])
    assert rows[0] == ["victims", PARAMS[0], "0.80", "0.70–0.90", "0.90", "0.85–1.10",
                       f"{t['sensitivity']['variance'][0]:,.4g}"]
    assert [r[:2] for r in rows] == [["victims", PARAMS[0]], ["victims", PARAMS[1]],
                                     ["recorded victims", PARAMS[0]], ["recorded victims", PARAMS[1]]]
    assert html.count("<img ") == 2  # Sobol bars and the scatter plots
    assert "Sweep file as composed" in html and "name: test-sweep" in html


def test_sweep_plots_draw_the_file_numbers(sweep_file):
    path, t = sweep_file
    with h5py.File(path) as f:
        s = load_sweep(f)
    fig, n = plots.sobol_indices(s)
    assert len([a for a in fig.axes if a.get_visible()]) == 2
    np.testing.assert_allclose(n.set_index(["output", "parameter"]).loc[("victims", PARAMS[0]), "first"], 0.80)
    bars = [p for a in fig.axes for p in a.patches]
    assert len(bars) == 8 and {matplotlib.colors.to_hex(b.get_facecolor()) for b in bars} <= OKABE
    assert "model estimate" in fig._suptitle.get_text()
    fig, n = plots.sweep_scatter(s, "victims")
    np.testing.assert_allclose(n["victims"], t["mean"][:, 0])
    assert [a.get_xlabel() for a in fig.axes if a.get_visible()] == PARAMS
    assert "model estimate" in fig._suptitle.get_text()


def test_unstable_indices_are_flagged(sweep_file):
    path, _ = sweep_file
    with h5py.File(path, "r+") as f:
        f["/sweep/sensitivity/first"][0, 0] = 1.6
    html, _ = report.render([path])
    assert any(s.startswith("Some indices fall outside 0–1") for s in headlines(html))
    assert "raise the design's <code>samples</code>" in section(html, "sobol")


@pytest.mark.parametrize("keep_sensitivity", [False, True])
def test_incomplete_sweep_says_so_and_shows_no_indices(tmp_path, keep_sensitivity):
    """Missing runs: the headline says the sweep is incomplete and no index is shown, even when a
    stale sensitivity group is in the file."""
    path = tmp_path / "partial.h5"
    fixtures.make_sweep(path, missing=[0, 1, 5], keep_sensitivity=keep_sensitivity)
    html, reps = report.render([path])
    lines = headlines(html)
    assert lines[0].endswith("= 32 runs; incomplete: only 29 of 32 runs are in this file (3 missing, at 2 of 16 "
                             "points), so no sensitivity indices are shown. Re-run `redes sweep` (it resumes) or "
                             "`redes merge` the shards, then report again.")
    assert not any("Sobol index" in s for s in lines)
    assert 'data-table="sobol"' not in html and "first-order index" not in html
    assert "No indices: the sweep is incomplete (29 of 32 runs in this file)" in section(html, "sobol")
    assert reps[0].numbers["omitted"] == ["sobol"]
    assert reps[0].numbers["missing_points"] == [0, 2]
    assert "Incomplete sweep: 3 of 32 runs are missing" in section(html, "sweep_design")
    assert html.count("<img ") == 1  # the scatter plots still show the points that ran
    victim_counts_are_estimates(lines)


def test_grid_sweep_has_no_indices_but_scatter(tmp_path):
    path = tmp_path / "grid.h5"
    fixtures.make_sweep(path, design="grid", replicates=3)
    html, reps = report.render([path])
    assert headlines(html)[0].startswith("Sweep 'test-sweep': a grid design over 2 parameters, 6 points x 3 replicates")
    assert "Sobol indices need a saltelli design" in section(html, "sobol")
    assert 'data-section="sweep_scatter"' in html and html.count("<img ") == 1
    assert reps[0].numbers["sweep_scatter"]["runs"].tolist() == [3] * 6


# ---- calibration ----

def test_calibration_report_headlines_and_sections(calibration_file):
    path, t = calibration_file
    html, reps = report.render([path])
    lines = headlines(html)
    h, tv = t["victims"]["hidden"], t["victims"]["true"]
    assert lines[0] == (f"Model estimate: {fmt_count(h['median'])} victims over 4 years were never recorded by any "
                        f"institution (90% posterior interval {fmt_range(h['q05'], h['q95'])}), out of "
                        f"{fmt_count(tv['median'])} victims in total (90% interval {fmt_range(tv['q05'], tv['q95'])}). "
                        "These intervals include the uncertainty about the calibrated parameters, within the "
                        "model's assumptions.")
    assert lines[1] == (f"Calibration 'test-calibration': 2 parameters fitted to 5 target values (police cases, "
                        f"female share of prosecutor victims) with {t['simulations']:,} simulations (rejection "
                        "step, then 2 SMC generations); stopped: generations done.")
    assert lines[2] == ("Fit (model estimate): the calibrated model's 90% interval contains the observed value for "
                        "4 of 5 target points; it misses female share of prosecutor victims 2021.")
    assert lines[3].startswith("The posterior of recruitment.recruiters.per_100k and observation.fear is a ridge")
    victim_counts_are_estimates(lines)
    for key, title in (("posterior", "Calibrated parameters"), ("hidden", "Hidden and recorded victims"),
                       ("fit", "Fit to the targets"), ("particles", "Posterior particles"),
                       ("diagnostics", "Diagnostics by generation"), ("metadata", "Provenance")):
        assert f'data-section="{key}"' in html and f"<h3>{title}</h3>" in html, key
    assert "omitted" not in reps[0].numbers
    assert "they include the uncertainty about the calibrated parameters" in html
    assert html.count("<img ") == 2  # fit and particles


def test_calibration_tables(calibration_file):
    path, t = calibration_file
    html, reps = report.render([path])
    post = cells(section(html, "posterior"))
    s = t["summary"]
    assert post[0][:4] == [PARAMS[0], "1 to 25", report.fmt_value(s["median"][0]),
                           f"{report.fmt_value(s['q05'][0])} to {report.fmt_value(s['q95'][0])}"]
    assert post[0][4].endswith("(log scale)") and post[1][1] == "0.1 to 0.95"
    fit = cells(section(html, "fit").split('data-table="fit"', 1)[1])
    assert [r[1] for r in fit] == t["target_points"]
    assert [r[0] for r in fit] == t["target_of"]
    assert [r[-2] for r in fit] == ["yes", "yes", "yes", "yes", "no"]
    assert [r[-1] for r in fit] == ["fitted"] * 5  # a file without the predictive check: every point fitted
    assert fit[0][3:6] == ["30", report.fmt_value(t["fit"]["model_median"][0]),
                           f"{report.fmt_value(t['fit']['model_q05'][0])} to {report.fmt_value(t['fit']['model_q95'][0])}"]
    diag = cells(section(html, "diagnostics").split('data-table="diagnostics"', 1)[1])
    assert [r[0] for r in diag] == ["0 (rejection)", "1", "2"]
    assert diag[0][1:] == ["3", "133", "30%", "40.0", "40"]
    hidden = cells(section(html, "hidden"))
    rec = t["victims"]["recorded"]
    assert hidden[1] == ["recorded by at least one institution", fmt_count(rec["median"]),
                         fmt_range(rec["q05"], rec["q95"])]
    assert "model estimate" in section(html, "hidden")


def test_calibration_plots_draw_the_file_numbers(calibration_file):
    path, t = calibration_file
    with h5py.File(path) as f:
        c = load_calibration(f)
    fig, n = plots.calibration_fit(c)
    assert len(fig.axes) == 2  # one panel per target
    np.testing.assert_allclose(n["observed"], t["fit"]["observed"])
    np.testing.assert_allclose(n["model_q95"], t["fit"]["model_q95"])
    fig, n = plots.posterior_particles(c)
    np.testing.assert_allclose(n[PARAMS[0]], t["theta"][:, 0])
    assert n["weight"].sum() == pytest.approx(1.0)
    assert n.attrs["correlation"] == pytest.approx(posterior_correlation(c, *c.parameters))
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "linear"
    assert ax.get_xlim()[0] < 1.0 and ax.get_xlim()[1] > 25  # the axes span the prior ranges
    sizes = ax.collections[-1].get_sizes()
    assert np.argmax(sizes) == np.argmax(t["weight"])  # point area follows the weight
    assert "weighted correlation" in ax.get_title()


def test_no_ridge_headline_when_parameters_are_identified(tmp_path):
    path = tmp_path / "round.h5"
    fixtures.make_calibration(path, ridge=False)
    html, _ = report.render([path])
    assert not any("ridge" in s for s in headlines(html))


def test_calibration_of_a_sample_says_how_it_scales(tmp_path):
    path = tmp_path / "sample.h5"
    fixtures.make_calibration(path, agents=1000, represents=10000.0)
    html, _ = report.render([path])
    assert headlines(html)[0].endswith("Counts are scaled to the 10,000 people the scenario represents.")


# ---- command line ----

def test_cli_directory_with_every_kind(tmp_path, repo):
    d = tmp_path / "all"
    d.mkdir()
    fixtures.make_run(d / "a_run.h5", omit=("trajectories", "events"))
    fixtures.make_compare(d / "b_compare.h5")
    fixtures.make_sweep(d / "c_sweep.h5")
    fixtures.make_calibration(d / "d_calibration.h5")
    out = tmp_path / "report.html"
    p = subprocess.run([sys.executable, "-m", "analysis.report", str(d), "-o", str(out)], cwd=repo,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    html = out.read_text(encoding="utf-8")
    for name in ("a_run.h5 (run)", "b_compare.h5 (compare)", "c_sweep.h5 (sweep)", "d_calibration.h5 (calibration)"):
        assert name in html
    assert "this report does not summarise" not in html


@pytest.mark.parametrize("maker,group,message", [
    (fixtures.make_sweep, "/sweep", "has no /sweep group: it is not a complete redes sweep file"),
    (fixtures.make_calibration, "/calibration/posterior/weight", "has no dataset /calibration/posterior/weight"),
])
def test_cli_malformed_study_file_exits_2(tmp_path, repo, maker, group, message):
    path = tmp_path / "bad.h5"
    maker(path)
    with h5py.File(path, "r+") as f:
        del f[group]
    out = tmp_path / "r.html"
    p = subprocess.run([sys.executable, "-m", "analysis.report", str(path), "-o", str(out)], cwd=repo,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 2 and message in p.stderr and "Traceback" not in p.stderr
    assert not out.exists()


def test_left_out_predictions_say_how_far_they_are_in_the_terms_they_are_judged_by():
    """Counts by a factor, shares by points, both with the median's Monte Carlo range and, where the
    file has it, the predictive tail; a fitted point, or a file without the range, says nothing."""
    import pandas as pd
    row = dict(observed=8.0, model_median=3.9, fitted=False, share=False, median_mc_q05=2.8, median_mc_q95=5.4)
    off = report.left_out_off(pd.Series(row))
    assert "2.05x" in off and report.tr("cal.low") in off and "2.8" in off and "5.4" in off
    high = report.left_out_off(pd.Series({**row, "observed": 50.0, "model_median": 65.0}))
    assert "1.30x" in high and report.tr("cal.high") in high
    share = report.left_out_off(pd.Series({**row, "observed": 88.0, "model_median": 86.8, "share": True}))
    assert "1.2" in share and report.tr("cal.low") in share and "x" not in share.split("(")[0]
    assert report.left_out_off(pd.Series({**row, "fitted": True})) == ""
    assert report.left_out_off(pd.Series({**row, "median_mc_q05": float("nan")})) == ""
    # With the predictive tail: which side of the median the record is on, and how much of the
    # predictive distribution lies at least as far out.
    assert "records" not in off  # a file without the tail says nothing of it
    above = report.left_out_off(pd.Series({**row, "tail_probability": 0.31}))
    assert above.startswith(off) and "0.31" in above and "at least 8" in above
    below = report.left_out_off(pd.Series({**row, "observed": 50.0, "model_median": 65.0, "tail_probability": 0.2}))
    assert "0.20" in below and "at most 50" in below
