"""Sweep and calibration loaders: right shapes and labels, numbers found by label whatever the
axis or category order in the file, and a clear ReportError for files that do not fit the layout."""
import h5py
import numpy as np
import pytest

import fixtures
from analysis.load import ReportError
from analysis.studies import (load_calibration, load_sweep, log_scaled, posterior_correlation,
                              weighted_quantile)

PARAMS = list(fixtures.SWEEP_PARAMETERS)
METRICS = fixtures.SWEEP_METRICS


def sweep(path):
    with h5py.File(path) as f:
        return load_sweep(f)


def calibration(path):
    with h5py.File(path) as f:
        return load_calibration(f)


# ---- sweep ----

def test_sweep_shapes_and_labels(sweep_file):
    path, t = sweep_file
    s = sweep(path)
    P, R = t["points"], t["runs"]
    assert (s.name, s.design, s.samples, s.replicates) == ("test-sweep", "saltelli", 4, 2)
    assert (s.points, s.n_runs, s.runs_completed, s.complete) == (P, R, R, True)
    assert s.parameters == PARAMS and s.metrics == METRICS
    assert s.design_values.shape == (P, 2) and list(s.design_values.columns) == PARAMS
    assert s.design_values.index.name == "point" and list(s.design_values.index) == list(range(P))
    np.testing.assert_allclose(s.design_values.to_numpy(), t["values"])
    np.testing.assert_allclose(s.design_unit.to_numpy(), t["unit"])
    assert list(s.runs.columns) == ["point", "replicate", "seed", "completed"] and s.runs.index.name == "run"
    np.testing.assert_array_equal(s.runs["point"], t["point"])
    assert s.run_metrics.shape == (R, len(METRICS)) and list(s.run_metrics.columns) == METRICS
    assert s.point_mean.shape == (P, len(METRICS))
    np.testing.assert_allclose(s.point_mean.to_numpy(), t["mean"])
    assert s.outputs() == ["victims", "recorded_victims"]
    assert len(s.sensitivity) == 4
    assert list(s.sensitivity.columns) == ["output", "parameter", "first", "first_lo", "first_hi", "total",
                                           "total_lo", "total_hi", "variance"]
    assert s.new_victims is None


def test_sweep_tidy_tables(sweep_file):
    path, t = sweep_file
    s = sweep(path)
    pt = s.points_table("victims")
    assert list(pt.columns) == ["point", *PARAMS, "victims", "runs"]
    assert (pt["runs"] == 2).all()
    np.testing.assert_allclose(pt["victims"], t["mean"][:, 0])
    long = s.tidy_runs()
    assert list(long.columns) == ["run", "point", "replicate", "metric", "value"]
    assert len(long) == t["runs"] * len(METRICS)
    v = long[long.metric == "victims"].set_index("run")["value"]
    np.testing.assert_allclose(v.sort_index().to_numpy(), t["metrics_values"][:, 0])
    with pytest.raises(ReportError, match="has no metric 'colour'"):
        s.points_table("colour")


@pytest.mark.parametrize("reverse", [False, True])
def test_sweep_read_by_label_not_position(tmp_path, reverse):
    path = tmp_path / "odd.h5"
    t = fixtures.make_sweep(path, reverse=reverse, trajectories=True,
                            orders={"parameter": PARAMS[::-1], "metric": METRICS[::-1], "output": ["recorded_victims",
                                                                                                   "victims"]})
    s = sweep(path)
    assert s.parameters == PARAMS[::-1]  # the file's order is kept ...
    for j, p in enumerate(PARAMS):  # ... and every number sits under its own label
        np.testing.assert_allclose(s.design_values[p], t["values"][:, j])
    for j, m in enumerate(METRICS):
        np.testing.assert_allclose(s.point_mean[m], t["mean"][:, j])
        np.testing.assert_allclose(s.run_metrics[m], t["metrics_values"][:, j])
    sens = s.sensitivity.set_index(["output", "parameter"])
    for i, o in enumerate(["victims", "recorded_victims"]):
        for j, p in enumerate(PARAMS):
            assert sens.at[(o, p), "first"] == pytest.approx(t["sensitivity"]["first"][i, j])
            assert sens.at[(o, p), "total_hi"] == pytest.approx(t["sensitivity"]["total_hi"][i, j])
            assert sens.at[(o, p), "variance"] == pytest.approx(t["sensitivity"]["variance"][i])
    assert s.new_victims.shape == (t["runs"], 60)
    np.testing.assert_array_equal(s.new_victims.to_numpy(), t["new_victims"])


def test_sweep_with_missing_runs(tmp_path):
    path = tmp_path / "partial.h5"
    t = fixtures.make_sweep(path, missing=[0, 1, 5, 9])  # both runs of point 0, one of points 2 and 4
    s = sweep(path)
    assert not s.complete and s.runs_completed == t["runs"] - 4
    assert s.missing_points == [0, 2, 4]
    assert s.sensitivity is None
    assert np.isnan(s.point_mean.at[0, "victims"]) and np.isnan(s.run_metrics.at[5, "victims"])
    assert s.points_table()["runs"].tolist()[:5] == [0, 2, 1, 2, 1]
    assert len(s.tidy_runs("victims")) == t["runs"] - 4


# ---- calibration ----

def test_calibration_shapes_and_labels(calibration_file):
    path, t = calibration_file
    c = calibration(path)
    cp = list(fixtures.CAL_PARAMETERS)
    assert (c.name, c.stop_reason, c.simulations) == ("test-calibration", "generations done", t["simulations"])
    assert c.parameters == cp
    assert c.posterior.shape == (40, 7) and c.posterior.index.name == "particle"
    assert list(c.posterior.columns) == [*cp, "weight", "distance", "true_victims", "recorded_victims",
                                         "hidden_victims"]
    assert c.posterior["weight"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(c.posterior[cp].to_numpy(), t["theta"])
    np.testing.assert_allclose(c.posterior["hidden_victims"], t["true_victims"] - t["recorded_victims"])
    assert list(c.generations.columns) == ["epsilon", "acceptance", "ess", "simulations", "particles"]
    assert list(c.generations.index) == [0, 1, 2] and (c.generations["particles"] == 40).all()
    assert list(c.generation_theta.columns) == ["generation", "particle", *cp] and len(c.generation_theta) == 120
    assert list(c.summary.index) == cp and list(c.summary.columns) == ["prior_min", "prior_max", "median", "q05", "q95"]
    assert list(c.victims.index) == ["hidden", "true"]
    assert c.victims.at["hidden", "median"] == pytest.approx(t["victims"]["hidden"]["median"])
    assert list(c.fit.index) == t["target_points"] and c.fit.index.name == "target_point"
    assert list(c.fit.columns) == ["target", "observed", "model_median", "model_q05", "model_q95", "fitted", "reachable",
                                   "unit", "median_mc_q05", "median_mc_q95", "tail_probability", "share"]
    assert c.fit["fitted"].all()  # a file without the predictive check: every point fitted
    assert c.fit["median_mc_q05"].isna().all() and not c.fit["share"].any()  # nor the median's Monte Carlo range
    assert c.fit["tail_probability"].isna().all()  # nor the predictive tail
    assert c.fit["target"].tolist() == t["target_of"]
    assert c.fit_model.shape == (40, 5)


def test_weighted_quantile_matches_the_file(calibration_file):
    path, t = calibration_file
    c = calibration(path)
    for p in c.parameters:
        med, lo, hi = c.weighted_interval(p)
        assert (med, lo, hi) == pytest.approx(tuple(c.summary.loc[p, ["median", "q05", "q95"]]))
    assert c.weighted_interval("recorded_victims") == pytest.approx(
        tuple(t["victims"]["recorded"][k] for k in ("median", "q05", "q95")))
    assert weighted_quantile([3.0, 1.0, 2.0], [1, 1, 1], 0.5) == 2.0
    assert weighted_quantile([1.0, 2.0], [0.0, 1.0], 0.05) == 2.0  # zero weights are dropped
    assert np.isnan(weighted_quantile([np.nan], [1.0], 0.5))


@pytest.mark.parametrize("reverse", [False, True])
def test_calibration_read_by_label_not_position(tmp_path, reverse):
    path = tmp_path / "odd.h5"
    cp = list(fixtures.CAL_PARAMETERS)
    t = fixtures.make_calibration(path, reverse=reverse, orders={"parameter": cp[::-1]})
    c = calibration(path)
    assert c.parameters == cp[::-1]
    for j, p in enumerate(cp):
        np.testing.assert_allclose(c.posterior[p], t["theta"][:, j])
        assert c.summary.at[p, "median"] == pytest.approx(t["summary"]["median"][j])
        got = c.generation_theta.set_index(["generation", "particle"])[p]
        np.testing.assert_allclose(got.to_numpy(), t["generations_theta"][:, :, j].ravel())


def test_ridge_shows_in_posterior_correlation(tmp_path):
    a, b = tmp_path / "ridge.h5", tmp_path / "round.h5"
    fixtures.make_calibration(a, ridge=True)
    fixtures.make_calibration(b, ridge=False)
    ca, cb = calibration(a), calibration(b)
    assert log_scaled(ca, "recruitment.recruiters.per_100k") and not log_scaled(ca, "observation.fear")
    assert posterior_correlation(ca, *ca.parameters) > 0.8
    assert abs(posterior_correlation(cb, *cb.parameters)) < 0.5


# ---- malformed files ----

def _drop(path, name):
    with h5py.File(path, "r+") as f:
        del f[name]


def _attr(path, obj, key, value):
    with fixtures.redes_file(path, "r+") as f:
        if value is None:
            del f[obj].attrs[key]
        else:
            f[obj].attrs[key] = value


def _bad_sweep_parameter_labels(path):
    """Sensitivity indices over other parameters than the design's (an axis of its own)."""
    with fixtures.redes_file(path, "r+") as f:
        data = f["/sweep/sensitivity/first"][()]
        f.create_dataset("/labels/other_parameter", data=["a", "b"], dtype=h5py.string_dtype("utf-8"))
        del f["/sweep/sensitivity/first"]
        new = f.create_dataset("/sweep/sensitivity/first", data=data[:, :2])
        new.attrs["axes"] = fixtures.fixed_string("output,other_parameter")


def _extra_axis(path):
    with fixtures.redes_file(path, "r+") as f:
        data = f["/sweep/design/values"][()]
        del f["/sweep/design/values"]
        ds = f.create_dataset("/sweep/design/values", data=data[:, :, None])
        for i, name in enumerate(["point", "parameter", "replicate"]):
            ds.dims[i].label = name


SWEEP_BREAKAGE = {
    "no sweep group": (lambda p: _drop(p, "/sweep"), "has no /sweep group: it is not a complete redes sweep file"),
    "no point means": (lambda p: _drop(p, "/sweep/points/mean"),
                       "has no dataset /sweep/points/mean: it is not a complete redes sweep file"),
    "metadata disagrees": (lambda p: _attr(p, "/metadata", "runs_completed", 3),
                           "/metadata says runs_completed = 3 but the file's tables hold 32"),
    "extra axis": (_extra_axis, r"dataset /sweep/design/values has axes \(point, parameter, replicate\), "
                                r"expected \(point, parameter\)"),
    "other parameters": (_bad_sweep_parameter_labels, r"dataset /sweep/sensitivity/first has axes "
                                                      r"\(output, other_parameter\), expected \(output, parameter\)"),
    "half a sensitivity group": (lambda p: _drop(p, "/sweep/sensitivity/total_hi"),
                                 "has no dataset /sweep/sensitivity/total_hi"),
    "not a sweep": (lambda p: _attr(p, "/metadata", "kind", "run"), "it is a redes 'run' file, not a sweep file"),
}


@pytest.mark.parametrize("case", list(SWEEP_BREAKAGE))
def test_malformed_sweep_is_a_clear_error(sweep_file, case):
    path, _ = sweep_file
    breakit, message = SWEEP_BREAKAGE[case]
    breakit(path)
    with pytest.raises(ReportError, match=message):
        sweep(path)


def _replicates_do_not_divide(path):
    _attr(path, "/metadata", "replicates", 3)


def test_sweep_runs_that_are_not_points_times_replicates(sweep_file):
    path, _ = sweep_file
    _replicates_do_not_divide(path)
    with pytest.raises(ReportError, match="32 runs is not 16 points x 3 replicates"):
        sweep(path)


def _negative_weight(path):
    with h5py.File(path, "r+") as f:
        f["/calibration/posterior/weight"][0] = -1.0


CALIBRATION_BREAKAGE = {
    "no calibration group": (lambda p: _drop(p, "/calibration"),
                             "has no /calibration group: it is not a complete redes calibration file"),
    "no fit": (lambda p: _drop(p, "/calibration/fit/model_q95"), "has no dataset /calibration/fit/model_q95"),
    "negative weight": (_negative_weight, "weight must be finite, non-negative and not all zero"),
    "no hidden victims": (lambda p: _attr(p, "/calibration/summary", "hidden_victims_median", None),
                          "/calibration/summary has no attribute hidden_victims_median"),
    "targets do not match points": (lambda p: _attr(p, "/calibration/fit", "target_of_point", "a|b"),
                                    "target_of_point names 2 targets for 5 target points"),
    "not a calibration": (lambda p: _attr(p, "/metadata", "kind", "sweep"),
                          "it is a redes 'sweep' file, not a calibration file"),
}


@pytest.mark.parametrize("case", list(CALIBRATION_BREAKAGE))
def test_malformed_calibration_is_a_clear_error(calibration_file, case):
    path, _ = calibration_file
    breakit, message = CALIBRATION_BREAKAGE[case]
    breakit(path)
    with pytest.raises(ReportError, match=message):
        calibration(path)
