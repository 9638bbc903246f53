"""Read redes sweep and calibration files (sim/output/output_format.md) into tidy tables.

    with open_h5("sweep.h5") as f:
        s = load_sweep(f)          # Sweep: design, runs, per-point means, Sobol indices
    with open_h5("cal.h5") as f:
        c = load_calibration(f)    # Calibration: posterior, generations, summary, fit

As elsewhere in `analysis`, every axis is found by its dimension label and its values come from
the attached dimension scale: a writer that stores [parameter, point] instead of [point,
parameter], or lists parameters in another order in one dataset, gives the same tables. A file
that does not have the layout (missing dataset, unexpected axes, inconsistent sizes or labels)
raises ReportError naming the file and the problem.
"""
from __future__ import annotations

from dataclasses import dataclass

import h5py
import numpy as np
import pandas as pd

from analysis.load import ReportError, attrs, axes, metadata, require_group

SWEEP_WHY = "it is not a complete redes sweep file"
CALIBRATION_WHY = "it is not a complete redes calibration file"
SOBOL_KEYS = ("first", "first_lo", "first_hi", "total", "total_lo", "total_hi")


# ---- strict reading: exact axes, in the order asked for ----

def _fail(f: h5py.File, message: str):
    raise ReportError(f"file {f.filename}: {message}")


def _exact(f: h5py.File, path: str, want: list[str], why: str):
    """(array, {axis: values}) of dataset `path`, whose axes must be exactly `want` (in any
    order in the file); the array is returned with its axes in the order of `want`."""
    if path not in f or not isinstance(f[path], h5py.Dataset):
        raise ReportError(f"file {f.filename} has no dataset {path}: {why}")
    ds = f[path]
    ax = axes(ds)
    names = [n for n, _ in ax]
    if sorted(names) != sorted(want) or len(set(names)) != len(names):
        _fail(f, f"dataset {path} has axes ({', '.join(names)}), expected ({', '.join(want)})")
    arr = np.transpose(ds[()], [names.index(w) for w in want])
    return arr, dict(ax)


def _labels(values) -> list:
    return [v if isinstance(v, str) else v.item() if isinstance(v, np.generic) else v for v in values]


def _align(f: h5py.File, path: str, arr: np.ndarray, got: dict, axis: str, ref: list, k: int) -> np.ndarray:
    """Reorder axis `k` of `arr` (labels got[axis]) to the reference labels `ref`, or fail when the
    two label sets differ (the datasets then do not describe the same things)."""
    labels = _labels(got[axis])
    if labels == list(ref):
        return arr
    if sorted(map(str, labels)) != sorted(map(str, ref)) or len(set(labels)) != len(labels):
        _fail(f, f"dataset {path} has {axis} labels {labels[:6]}{'...' if len(labels) > 6 else ''}, "
                 f"which do not match {list(ref)[:6]}{'...' if len(ref) > 6 else ''}")
    pos = {str(v): i for i, v in enumerate(labels)}
    return np.take(arr, [pos[str(v)] for v in ref], axis=k)


def _read(f, path, want, why, ref: dict) -> np.ndarray:
    """Dataset with axes `want`, each axis aligned to ref[axis] when given (else taken as is)."""
    arr, got = _exact(f, path, want, why)
    for k, name in enumerate(want):
        if name in ref:
            arr = _align(f, path, arr, got, name, ref[name], k)
    return arr


def _int_attr(md: dict, key: str):
    v = md.get(key)
    try:
        return None if v is None else int(v)
    except (TypeError, ValueError):
        return None


def weighted_quantile(values, weights, q: float) -> float:
    """Weighted quantile as redes computes it (sim/calibration/abc.cpp weighted_quantile): each
    value sits at the midpoint of its cumulative weight, linear interpolation between them;
    zero weights and non-finite values are dropped."""
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = np.isfinite(v) & (w > 0)
    v, w = v[keep], w[keep]
    if len(v) == 0:
        return float("nan")
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    pos = (np.cumsum(w) - 0.5 * w) / w.sum()
    if q <= pos[0]:
        return float(v[0])
    if q >= pos[-1]:
        return float(v[-1])
    return float(np.interp(q, pos, v))


# ---- sweep files ----

@dataclass
class Sweep:
    """A `redes sweep` file as tables (index names are the file's axis labels)."""
    path: str
    metadata: dict
    name: str
    design: str
    samples: int | None
    replicates: int
    parameters: list[str]
    metrics: list[str]
    design_values: pd.DataFrame   # [point] x parameter: parameter values of each design point
    design_unit: pd.DataFrame     # [point] x parameter: unit-cube coordinates
    runs: pd.DataFrame            # [run]: point, replicate, seed, completed (bool)
    run_metrics: pd.DataFrame     # [run] x metric: model estimates, NaN where the run is missing
    point_mean: pd.DataFrame      # [point] x metric: mean over the point's runs in the file
    sensitivity: pd.DataFrame | None  # tidy: output, parameter, first..total_hi, variance
    sensitivity_attrs: dict
    new_victims: pd.DataFrame | None  # [run] x day, only with trajectories: true

    @property
    def points(self) -> int:
        return len(self.design_values)

    @property
    def n_runs(self) -> int:
        return len(self.runs)

    @property
    def runs_completed(self) -> int:
        return int(self.runs["completed"].sum())

    @property
    def complete(self) -> bool:
        return self.runs_completed == self.n_runs

    @property
    def missing_points(self) -> list[int]:
        """Design points with at least one run missing."""
        return sorted(int(p) for p in self.runs.loc[~self.runs["completed"], "point"].unique())

    def outputs(self) -> list[str]:
        if self.sensitivity is None:
            return []
        return list(dict.fromkeys(self.sensitivity["output"]))

    def points_table(self, metric: str = "victims") -> pd.DataFrame:
        """One row per design point: parameter values, the mean of `metric` over the point's
        completed runs (NaN when none) and how many runs it has."""
        if metric not in self.point_mean.columns:
            raise ReportError(f"file {self.path}: the sweep has no metric {metric!r} "
                              f"(metrics: {', '.join(self.metrics[:8])}{'...' if len(self.metrics) > 8 else ''})")
        t = self.design_values.copy()
        t[metric] = self.point_mean[metric]
        t["runs"] = self.runs[self.runs["completed"]].groupby("point").size().reindex(t.index, fill_value=0)
        return t.reset_index()

    def tidy_runs(self, metric: str | None = None) -> pd.DataFrame:
        """Long table of completed runs: run, point, replicate, then one row per metric
        (columns metric, value), or just `metric` as `value`."""
        done = self.runs[self.runs["completed"]]
        m = self.run_metrics.loc[done.index]
        if metric is not None:
            m = m[[metric]]
        long = m.rename_axis(columns=None).reset_index().melt(id_vars="run", var_name="metric", value_name="value")
        long = long.merge(done[["point", "replicate"]].reset_index(), on="run")
        return long.sort_values(["run"], kind="stable").reset_index(drop=True)[
            ["run", "point", "replicate", "metric", "value"]]


def load_sweep(f: h5py.File) -> Sweep:
    """Read a sweep file; ReportError on anything that does not fit the layout."""
    md = metadata(f)
    if md.get("kind") != "sweep":
        _fail(f, f"it is a redes '{md.get('kind')}' file, not a sweep file")
    require_group(f, "/sweep", SWEEP_WHY)
    why = SWEEP_WHY
    values, vax = _exact(f, "/sweep/design/values", ["point", "parameter"], why)
    parameters = [str(p) for p in vax["parameter"]]
    points = _labels(vax["point"])
    ref = {"point": points, "parameter": parameters}
    unit = _read(f, "/sweep/design/unit", ["point", "parameter"], why, ref)

    cols = {}
    run_labels = None
    for k in ("point", "replicate", "seed", "completed"):
        arr, ax = _exact(f, f"/sweep/runs/{k}", ["run"], why)
        if run_labels is None:
            run_labels = _labels(ax["run"])
        else:
            arr = _align(f, f"/sweep/runs/{k}", arr, ax, "run", run_labels, 0)
        cols[k] = arr.astype(np.int64)
    bad = ~np.isin(cols["completed"], [0, 1])
    if bad.any():
        _fail(f, "/sweep/runs/completed holds values other than 0 and 1")
    unknown = ~np.isin(cols["point"], points)
    if unknown.any():
        _fail(f, f"/sweep/runs/point refers to point {int(cols['point'][unknown][0])}, which is not in the design "
                 f"({len(points)} points)")
    runs = pd.DataFrame(cols, index=pd.Index(run_labels, name="run"))
    runs["completed"] = runs["completed"].astype(bool)

    metrics_arr, max_ = _exact(f, "/sweep/runs/metrics", ["run", "metric"], why)
    metrics_arr = _align(f, "/sweep/runs/metrics", metrics_arr, max_, "run", run_labels, 0)
    metrics = [str(m) for m in max_["metric"]]
    mean = _read(f, "/sweep/points/mean", ["point", "metric"], why, {"point": points, "metric": metrics})

    new_victims = None
    if "/sweep/runs/new_victims" in f:
        nv, nax = _exact(f, "/sweep/runs/new_victims", ["run", "day"], why)
        nv = _align(f, "/sweep/runs/new_victims", nv, nax, "run", run_labels, 0)
        new_victims = pd.DataFrame(nv, index=runs.index, columns=pd.Index(_labels(nax["day"]), name="day"))

    sensitivity, sens_attrs = None, {}
    if "/sweep/sensitivity" in f:
        g = require_group(f, "/sweep/sensitivity", why)
        sens_attrs = attrs(g)
        parts, outputs = {}, None
        for k in SOBOL_KEYS:
            arr, ax = _exact(f, f"/sweep/sensitivity/{k}", ["output", "parameter"], why)
            if outputs is None:
                outputs = [str(o) for o in ax["output"]]
            parts[k] = _align(f, f"/sweep/sensitivity/{k}", _align(f, f"/sweep/sensitivity/{k}", arr, ax, "output",
                                                                   outputs, 0), ax, "parameter", parameters, 1)
        var = _read(f, "/sweep/sensitivity/variance", ["output"], why, {"output": outputs})
        missing = [o for o in outputs if o not in metrics]
        if missing:
            _fail(f, f"/sweep/sensitivity has output {missing[0]!r}, which is not one of the sweep's metrics")
        rows = []
        for i, o in enumerate(outputs):
            for j, p in enumerate(parameters):
                rows.append({"output": o, "parameter": p, **{k: float(parts[k][i, j]) for k in SOBOL_KEYS},
                             "variance": float(var[i])})
        sensitivity = pd.DataFrame(rows)

    # Metadata must agree with the tables (a mismatch means a torn or hand-edited file).
    P, R = len(points), len(runs)
    for key, have in (("points", P), ("runs", R), ("runs_completed", int(runs["completed"].sum()))):
        said = _int_attr(md, key)
        if said is not None and said != have:
            _fail(f, f"/metadata says {key} = {said} but the file's tables hold {have}")
    replicates = _int_attr(md, "replicates")
    if replicates is None or replicates < 1:
        replicates = R // P if P else 0
    if P * replicates != R:
        _fail(f, f"{R} runs is not {P} points x {replicates} replicates")
    design_attrs = attrs(f["/sweep/design"]) if isinstance(f["/sweep/design"], h5py.Group) else {}
    return Sweep(
        path=str(f.filename), metadata=md, name=str(md.get("sweep_name") or md.get("scenario_name") or ""),
        design=str(md.get("design") or design_attrs.get("type") or "unknown"),
        samples=_int_attr(design_attrs, "samples"), replicates=replicates, parameters=parameters, metrics=metrics,
        design_values=pd.DataFrame(values.astype(float), index=pd.Index(points, name="point"),
                                   columns=pd.Index(parameters, name="parameter")),
        design_unit=pd.DataFrame(unit.astype(float), index=pd.Index(points, name="point"),
                                 columns=pd.Index(parameters, name="parameter")),
        runs=runs,
        run_metrics=pd.DataFrame(metrics_arr.astype(float), index=runs.index, columns=pd.Index(metrics, name="metric")),
        point_mean=pd.DataFrame(mean.astype(float), index=pd.Index(points, name="point"),
                                columns=pd.Index(metrics, name="metric")),
        sensitivity=sensitivity, sensitivity_attrs=sens_attrs, new_victims=new_victims)


# ---- calibration files ----

@dataclass
class Calibration:
    """A `redes calibrate` file as tables."""
    path: str
    metadata: dict
    name: str
    method: str
    stop_reason: str
    simulations: int | None
    parameters: list[str]
    posterior: pd.DataFrame       # [particle]: one column per parameter, weight (sums to 1), distance,
                                  # true_victims, recorded_victims, hidden_victims
    generations: pd.DataFrame     # [generation]: epsilon, simulations, acceptance, ess, particles
    generation_theta: pd.DataFrame  # tidy: generation, particle, one column per parameter
    summary: pd.DataFrame         # [parameter]: prior_min, prior_max, median, q05, q95
    victims: pd.DataFrame         # [hidden, true]: median, q05, q95 (file attributes)
    fit: pd.DataFrame             # [target_point]: target, observed, model_median, model_q05, model_q95
    fit_model: pd.DataFrame       # [particle] x target_point
    history_matching: pd.DataFrame | None = None  # [wave]: simulations, nonimplausible_fraction, space_fraction,
                                                  # emulators, loo_coverage, loo_max_abs_z (None without waves)

    def weighted_interval(self, column: str, level: float = 0.90) -> tuple[float, float, float]:
        """(median, lower, upper) of a posterior column under the particle weights."""
        a = (1 - level) / 2
        x, w = self.posterior[column], self.posterior["weight"]
        return tuple(weighted_quantile(x, w, q) for q in (0.5, a, 1 - a))


def load_calibration(f: h5py.File) -> Calibration:
    """Read a calibration file; ReportError on anything that does not fit the layout."""
    md = metadata(f)
    if md.get("kind") != "calibration":
        _fail(f, f"it is a redes '{md.get('kind')}' file, not a calibration file")
    require_group(f, "/calibration", CALIBRATION_WHY)
    why = CALIBRATION_WHY
    theta, tax = _exact(f, "/calibration/posterior/theta", ["particle", "parameter"], why)
    parameters = [str(p) for p in tax["parameter"]]
    particles = _labels(tax["particle"])
    ref = {"particle": particles, "parameter": parameters}
    post = pd.DataFrame(theta.astype(float), index=pd.Index(particles, name="particle"), columns=parameters)
    for k in ("weight", "distance", "true_victims", "recorded_victims"):
        post[k] = _read(f, f"/calibration/posterior/{k}", ["particle"], why, ref).astype(float)
    w = post["weight"].to_numpy()
    if not (np.all(np.isfinite(w)) and np.all(w >= 0) and w.sum() > 0):
        _fail(f, "/calibration/posterior/weight must be finite, non-negative and not all zero")
    post["weight"] = w / w.sum()
    post["hidden_victims"] = post["true_victims"] - post["recorded_victims"]

    gen_cols, gens = {}, None
    for k in ("epsilon", "acceptance", "ess", "simulations"):
        arr, ax = _exact(f, f"/calibration/generations/{k}", ["generation"], why)
        if gens is None:
            gens = _labels(ax["generation"])
        gen_cols[k] = _align(f, f"/calibration/generations/{k}", arr, ax, "generation", gens, 0).astype(float)
    generations = pd.DataFrame(gen_cols, index=pd.Index(gens, name="generation"))
    gtheta, gax = _exact(f, "/calibration/generations/theta", ["generation", "particle", "parameter"], why)
    gtheta = _align(f, "/calibration/generations/theta", gtheta, gax, "generation", gens, 0)
    gtheta = _align(f, "/calibration/generations/theta", gtheta, gax, "parameter", parameters, 2)
    gparticles = _labels(gax["particle"])
    rows = [{"generation": g, "particle": p, **dict(zip(parameters, gtheta[i, j].astype(float)))}
            for i, g in enumerate(gens) for j, p in enumerate(gparticles) if np.all(np.isfinite(gtheta[i, j]))]
    generation_theta = pd.DataFrame(rows, columns=["generation", "particle", *parameters])
    generations["particles"] = generation_theta.groupby("generation").size().reindex(gens, fill_value=0).to_numpy()

    summary = pd.DataFrame({k: _read(f, f"/calibration/summary/{k}", ["parameter"], why, ref).astype(float)
                            for k in ("prior_min", "prior_max", "median", "q05", "q95")},
                           index=pd.Index(parameters, name="parameter"))
    sa = attrs(f["/calibration/summary"])
    vic = {}
    for who in ("hidden", "true"):
        row = {}
        for q in ("median", "q05", "q95"):
            key = f"{who}_victims_{q}"
            if key not in sa:
                _fail(f, f"/calibration/summary has no attribute {key}: {why}")
            try:
                row[q] = float(sa[key])
            except (TypeError, ValueError):
                _fail(f, f"/calibration/summary attribute {key} is not a number ({sa[key]!r})")
        vic[who] = row
    victims = pd.DataFrame.from_dict(vic, orient="index")[["median", "q05", "q95"]]

    obs, oax = _exact(f, "/calibration/fit/observed", ["target_point"], why)
    tps = [str(t) for t in oax["target_point"]]
    fit = pd.DataFrame({"observed": obs.astype(float)}, index=pd.Index(tps, name="target_point"))
    for k in ("model_median", "model_q05", "model_q95"):
        fit[k] = _read(f, f"/calibration/fit/{k}", ["target_point"], why, {"target_point": tps}).astype(float)
    fm = _read(f, "/calibration/fit/model", ["particle", "target_point"], why,
               {"particle": particles, "target_point": tps})
    fit_model = pd.DataFrame(fm.astype(float), index=post.index, columns=pd.Index(tps, name="target_point"))
    fa = attrs(f["/calibration/fit"])
    target_of = [s.strip() for s in str(fa["target_of_point"]).split("|")] if "target_of_point" in fa else []
    if target_of and len(target_of) != len(tps):
        _fail(f, f"/calibration/fit attribute target_of_point names {len(target_of)} targets for {len(tps)} "
                 "target points")
    # Without the attribute, a point's target is its label without a trailing year.
    fit.insert(0, "target", target_of or [t.rsplit(" ", 1)[0] if t[-4:].isdigit() else t for t in tps])
    # Posterior predictive check (files from before it: every point fitted, reachability unknown).
    for k, default in (("fitted", True), ("reachable", True)):
        path = f"/calibration/fit/{k}"
        fit[k] = (_read(f, path, ["target_point"], why, {"target_point": tps}).astype(int) != 0) if path in f else default
    unit_of = [s.strip() for s in str(fa["unit_of_point"]).split("|")] if "unit_of_point" in fa else []
    fit["unit"] = unit_of if len(unit_of) == len(tps) else ""
    # The median's Monte Carlo range, the predictive tail and which points are shares (files from
    # before them: unknown).
    for k in ("median_mc_q05", "median_mc_q95", "tail_probability"):
        path = f"/calibration/fit/{k}"
        fit[k] = _read(f, path, ["target_point"], why, {"target_point": tps}).astype(float) if path in f else np.nan
    path = "/calibration/fit/share"
    fit["share"] = (_read(f, path, ["target_point"], why, {"target_point": tps}).astype(int) != 0) if path in f else False
    hm = None
    if "/calibration/history_matching" in f:
        hm = pd.DataFrame({k: np.asarray(f[f"/calibration/history_matching/{k}"][()], dtype=float)
                           for k in ("simulations", "nonimplausible_fraction", "space_fraction")})
        cover = np.asarray(f["/calibration/history_matching/loo_coverage"][()], dtype=float)
        maxz = np.asarray(f["/calibration/history_matching/loo_max_abs_z"][()], dtype=float)
        hm["emulators"] = np.isfinite(cover).sum(axis=1)
        hm["loo_coverage"] = np.nanmean(np.where(np.isfinite(cover), cover, np.nan), axis=1)
        hm["loo_max_abs_z"] = np.nanmax(np.where(np.isfinite(maxz), maxz, np.nan), axis=1)
        hm.index = pd.Index(range(1, len(hm) + 1), name="wave")

    return Calibration(
        path=str(f.filename), metadata=md, name=str(md.get("calibration_name") or ""),
        method=str(md.get("method") or ""), stop_reason=str(md.get("stop_reason") or ""),
        simulations=_int_attr(md, "simulations"), parameters=parameters, posterior=post,
        generations=generations, generation_theta=generation_theta, summary=summary, victims=victims,
        fit=fit, fit_model=fit_model, history_matching=hm)




def log_scaled(cal: Calibration, parameter: str) -> bool:
    """Whether a parameter is best shown on a log scale: a positive prior spanning a factor 10 or
    more (the file does not record the prior's family; loguniform priors are wide like this)."""
    lo, hi = cal.summary.at[parameter, "prior_min"], cal.summary.at[parameter, "prior_max"]
    return bool(lo > 0 and hi / lo >= 10)


def posterior_correlation(cal: Calibration, a: str, b: str) -> float:
    """Weighted correlation of two parameters over the posterior particles, each on the scale it
    is plotted on (log for wide positive priors). Near -1 or +1: the particles lie on a ridge."""
    w = cal.posterior["weight"].to_numpy()
    x, y = (np.log(cal.posterior[p].to_numpy()) if log_scaled(cal, p) else cal.posterior[p].to_numpy()
            for p in (a, b))
    mx, my = np.sum(w * x), np.sum(w * y)
    sx, sy = np.sqrt(np.sum(w * (x - mx) ** 2)), np.sqrt(np.sum(w * (y - my) ** 2))
    if not (sx > 0 and sy > 0):
        return float("nan")
    return float(np.sum(w * (x - mx) * (y - my)) / (sx * sy))


__all__ = ["Sweep", "Calibration", "load_sweep", "load_calibration", "weighted_quantile", "log_scaled",
           "posterior_correlation"]
