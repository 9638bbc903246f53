"""Build small redes HDF5 files exactly per sim/output/output_format.md, with known numbers.

The C++ writer is developed in parallel; these fixtures pin the contract from the reader's
side. Options let a test reverse every dataset's axis order or reorder a category axis (e.g.
departments) to prove that readers go by labels, never by positions. Each builder returns the
"truth" in canonical order (numpy arrays, categories as in LABELS) for tests to compare against.
"""
from __future__ import annotations

import datetime as dt

import h5py
import numpy as np
from scipy import stats

LABELS = {
    "stage": ["contacted", "engaged", "groomed", "offered", "recruited", "exploited"],
    "transition": ["contacted", "engaged", "groomed", "offered", "recruited", "exploited", "declined",
                   "blocked_or_reported", "intervened", "removed_by_platform", "rescued", "escaped"],
    "route": ["hunting", "fishing", "trusted_contact"],
    "platform": ["offline", "facebook", "whatsapp", "instagram", "tiktok", "discord_games", "telegram",
                 "classroom_video"],
    "age_group": ["child", "adolescent", "young_adult", "adult"],
    "gender": ["female", "male"],
    "department": ["Asuncion", "Concepcion", "San Pedro", "Cordillera", "Guaira", "Caaguazu", "Caazapa",
                   "Itapua", "Misiones", "Paraguari", "Alto Parana", "Central", "Neembucu", "Amambay",
                   "Canindeyu", "Presidente Hayes", "Boqueron", "Alto Paraguay"],
    "exploitation": ["sexual", "labour", "online_sexual"],
    "means": ["job_offer", "romance", "sextortion", "travel_debt"],
    "destination": ["same_department", "other_department", "argentina", "spain", "brazil", "chile", "bolivia"],
    "institution": ["prosecutor", "police", "childhood_ministry", "women_ministry"],
    "sex_recorded": ["female", "male", "not_recorded"],
}
#: HDF5's dimension-scale attributes (left as h5py writes them; redes' readers never read them).
SCALE_ATTRIBUTES = ("DIMENSION_LIST", "REFERENCE_LIST", "DIMENSION_LABELS", "CLASS", "NAME")


def fixed_string(value: str) -> np.bytes_:
    """A string as redes writes attributes: fixed-length UTF-8 (h5py's default is variable-length)."""
    raw = value.encode()
    return np.array(raw, dtype=f"S{max(1, len(raw))}")[()]


def redes_layout(f: h5py.File) -> None:
    """Make a file built with h5py's defaults look as redes writes it: string attributes of fixed
    length, and each labelled dataset's axis names in its attribute `axes`."""
    objects = [f]
    f.visititems(lambda _, obj: objects.append(obj))
    for obj in objects:
        if isinstance(obj, h5py.Dataset) and obj.dtype.names is None and obj.ndim and "axes" not in obj.attrs:
            labels = [d.label for d in obj.dims]
            if all(labels):
                obj.attrs["axes"] = fixed_string(",".join(labels))
        for k in list(obj.attrs):
            tid = obj.attrs.get_id(k).get_type()
            if k not in SCALE_ATTRIBUTES and isinstance(tid, h5py.h5t.TypeStringID) and tid.is_variable_str():
                obj.attrs[k] = fixed_string(str(obj.attrs[k]))


class redes_file:
    """`with redes_file(path, mode) as f:` an h5py file that redes_layout() finishes on close."""

    def __init__(self, path, mode="w"):
        self.f = h5py.File(path, mode)

    def __enter__(self) -> h5py.File:
        return self.f

    def __exit__(self, kind, *_):
        try:
            if kind is None:
                redes_layout(self.f)
        finally:
            self.f.close()


VICTIM_DIMS = ["route", "platform", "age_group", "gender", "department", "exploitation", "destination", "means"]
NUMERIC = {"replicate", "day", "year", "point", "run", "particle", "generation"}


class Writer:
    """Writes labelled datasets with attached scales under /labels/<axis>.

    reverse: store every multi-dimensional dataset with its axes in reverse order.
    orders: {axis: [labels]} store that category axis in this order instead of LABELS order.
    """

    def __init__(self, f: h5py.File, numeric: dict, reverse=False, orders=None):
        self.f, self.reverse, self.orders = f, reverse, orders or {}
        self.canon = {**{k: list(v) for k, v in LABELS.items()}, **numeric}
        self.values = {**self.canon, **self.orders}

    def scale(self, name: str) -> h5py.Dataset:
        path = f"/labels/{name}"
        if path not in self.f:
            vals = self.values[name]
            if name in NUMERIC:
                ds = self.f.create_dataset(path, data=np.asarray(vals, dtype=np.int64))
            else:
                ds = self.f.create_dataset(path, data=vals, dtype=h5py.string_dtype("utf-8"))
            ds.make_scale(name)
        return self.f[path]

    def write(self, path: str, data, axes: list[str], unit=None, estimate=False, dtype=np.int32):
        """`data` is in canonical axis order and canonical category order."""
        arr = np.asarray(data, dtype=dtype)
        assert arr.ndim == len(axes), (path, arr.shape, axes)
        for k, name in enumerate(axes):
            if name in self.orders:
                idx = [self.canon[name].index(v) for v in self.orders[name]]
                arr = np.take(arr, idx, axis=k)
        names = list(axes)
        if self.reverse and arr.ndim > 1:
            arr, names = arr.transpose(), names[::-1]
        ds = self.f.create_dataset(path, data=arr, compression="gzip" if arr.size > 1000 else None)
        for i, name in enumerate(names):
            ds.dims[i].label = name
            ds.dims[i].attach_scale(self.scale(name))
        if unit:
            ds.attrs["unit"] = unit
        if estimate:
            ds.attrs["estimate"] = "model estimate"
        return ds


def _years(start_date: str, days: int) -> list[int]:
    start = dt.date.fromisoformat(start_date)
    end = start + dt.timedelta(days=days - 1)
    return list(range(start.year, end.year + 1))


def _metadata(f, kind: str, replicates: int, days: int, start_date: str, **extra):
    g = f.create_group("metadata")
    for k, v in dict(redes_version="0.1.0", git_commit="abc123", scenario_file="scenarios/test.yaml",
                     scenario_text="name: test\nagents: 1000\n", seed=1, replicates=replicates, threads=1,
                     start_date=start_date, days=days, agents=1000, recruiters_initial=10,
                     started_at="2024-01-01T00:00:00", finished_at="2024-01-01T00:01:00", kind=kind,
                     **extra).items():
        g.attrs[k] = v


def _summary_truth(rng, replicates: int, years: list[int], level: int = 150) -> dict:
    """Consistent per-replicate victim counts: every margin sums to /summary/victims."""
    R = replicates
    t = {"victims": rng.integers(level - 50, level + 50, size=R)}
    for dim in VICTIM_DIMS:
        p = rng.dirichlet(np.ones(len(LABELS[dim])) * 3)
        t[f"victims_by_{dim}"] = np.array([rng.multinomial(v, p) for v in t["victims"]])
    t["victims_by_year"] = np.array([rng.multinomial(v, np.ones(len(years)) / len(years)) for v in t["victims"]])
    t["attempts_by_route"] = t["victims_by_route"] * 20 + rng.integers(0, 50, size=(R, 3))
    t["exits"] = np.zeros((R, len(LABELS["transition"])), dtype=int)
    t["exits"][:, 6:] = rng.integers(0, 500, size=(R, 6))
    t["recruiters_arrested"] = rng.integers(0, 5, size=R)
    return t


def _write_summary(w: Writer, root: str, t: dict):
    est = dict(unit="persons", estimate=True)
    w.write(f"{root}/summary/victims", t["victims"], ["replicate"], **est)
    for dim in VICTIM_DIMS:
        w.write(f"{root}/summary/victims_by_{dim}", t[f"victims_by_{dim}"], ["replicate", dim], **est)
    w.write(f"{root}/summary/victims_by_year", t["victims_by_year"], ["replicate", "year"], **est)
    w.write(f"{root}/summary/attempts_by_route", t["attempts_by_route"], ["replicate", "route"], **est)
    w.write(f"{root}/summary/exits", t["exits"], ["replicate", "transition"], **est)
    w.write(f"{root}/summary/recruiters_arrested", t["recruiters_arrested"], ["replicate"], unit="persons")


def _transitions(rng, t: dict, days: int) -> np.ndarray:
    """[replicate, day, transition, route]; 'recruited' entries sum to victims_by_route."""
    R = len(t["victims"])
    tr = rng.poisson(2.0, size=(R, days, len(LABELS["transition"]), 3))
    k = LABELS["transition"].index("recruited")
    for r in range(R):
        for j in range(3):
            tr[r, :, k, j] = rng.multinomial(t["victims_by_route"][r, j], np.ones(days) / days)
    return tr


def make_run(path, replicates=6, days=60, start_date="2019-01-01", seed=0, reverse=False, orders=None,
             omit=(), level=150) -> dict:
    """A run file with known numbers. omit: names of groups to leave out ('observed',
    'interventions', 'events', 'summary', 'trajectories'). Returns the truth in canonical order."""
    rng = np.random.default_rng(seed)
    years = _years(start_date, days)
    R, D = replicates, days
    t = _summary_truth(rng, R, years, level)
    t["years"] = years
    with redes_file(path) as f:
        _metadata(f, "run", R, D, start_date)
        w = Writer(f, {"replicate": list(range(R)), "day": list(range(D)), "year": years,
                       "intervention": ["digital_literacy"]}, reverse, orders)
        if "summary" not in omit:
            _write_summary(w, "", t)
        if "trajectories" not in omit:
            lam = np.array([40, 20, 10, 5, 3, 2], dtype=float)
            t["stock"] = rng.poisson(lam[None, None, :, None, None, None, None],
                                     size=(R, D, 6, 3, 8, 4, 2))
            w.write("/trajectories/stock", t["stock"],
                    ["replicate", "day", "stage", "route", "platform", "age_group", "gender"], unit="persons")
            w.write("/trajectories/stock_by_department", rng.poisson(5, size=(R, D, 6, 18)),
                    ["replicate", "day", "stage", "department"], unit="persons")
            t["transitions"] = _transitions(rng, t, D)
            w.write("/trajectories/transitions", t["transitions"], ["replicate", "day", "transition", "route"],
                    unit="persons/day")
            w.write("/trajectories/recruiters_active", rng.integers(5, 15, size=(R, D)), ["replicate", "day"],
                    unit="recruiters")
        if "observed" not in omit:
            Y = len(years)
            true = t["victims_by_year"]
            rec = rng.binomial(true, 0.3)
            t["true_victims"], t["recorded_victims"] = true, rec
            t["hidden_ratio"] = true.sum(axis=1) / np.maximum(rec.sum(axis=1), 1)
            w.write("/observed/recorded_cases", rng.poisson(1.0, size=(R, Y, 4, 18, 3, 4)),
                    ["replicate", "year", "institution", "department", "sex_recorded", "age_group"],
                    unit="cases", estimate=True)
            w.write("/observed/recorded_ict", rng.poisson(3.0, size=(R, Y, 4)), ["replicate", "year", "institution"],
                    unit="cases", estimate=True)
            w.write("/observed/recorded_victims", rec, ["replicate", "year"], unit="persons", estimate=True)
            w.write("/observed/true_victims", true, ["replicate", "year"], unit="persons", estimate=True)
            w.write("/observed/hidden_ratio", t["hidden_ratio"], ["replicate"], dtype=np.float64, estimate=True)
        if "interventions" not in omit:
            t["reach"] = rng.integers(0, 100, size=(R, D, 1))
            t["cost"] = rng.uniform(0, 500, size=(R, D, 1))
            w.write("/interventions/reach", t["reach"], ["replicate", "day", "intervention"], unit="persons")
            w.write("/interventions/cost", t["cost"], ["replicate", "day", "intervention"], unit="USD",
                    dtype=np.float64)
            f["/interventions"].attrs["types"] = "digital_literacy"
        if "events" not in omit:
            n = 500
            dtype = np.dtype([("replicate", "u2"), ("day", "i4"), ("person", "u4"), ("recruiter", "u4"),
                              ("from", "u1"), ("to", "u1"), ("route", "u1"), ("platform", "u1")])
            ev = np.zeros(n, dtype=dtype)
            ev["replicate"] = rng.integers(0, R, n)
            ev["day"] = rng.integers(0, D, n)
            ev["person"] = rng.integers(0, 1000, n)
            ev["recruiter"] = rng.integers(0, 10, n)
            ev["from"] = 255
            ev["to"] = rng.integers(0, 12, n)
            ev["route"] = rng.integers(0, 3, n)
            ev["platform"] = rng.integers(0, 8, n)
            ds = f.create_dataset("/events", data=ev, chunks=True, maxshape=(None,))
            ds.attrs["stage_labels"] = ",".join(LABELS["transition"])
            ds.attrs["route_labels"] = ",".join(LABELS["route"])
            ds.attrs["platform_labels"] = ",".join(LABELS["platform"])
            t["events_to"] = np.bincount(ev["to"], minlength=12)
    return t


def _shift(rng, row: np.ndarray, delta: int) -> np.ndarray:
    """Remove `delta` persons from a margin (or add them when negative), keeping counts >= 0."""
    if delta >= 0:
        return row - rng.multivariate_hypergeometric(row, delta)
    return row + rng.multinomial(-delta, np.ones(len(row)) / len(row))


def _t_interval(x: np.ndarray, axis=-1):
    n = x.shape[axis]
    m = x.mean(axis=axis)
    half = stats.t.ppf(0.975, n - 1) * x.std(axis=axis, ddof=1) / np.sqrt(n)
    return m, m - half, m + half


def make_compare(path, interventions=("digital_literacy", "hotline", "posters"), effects=(0.10, 0.05, 0.0),
                 costs=(120000.0, 40000.0, 5000.0), replicates=8, days=60, start_date="2019-01-01", seed=1,
                 reverse=False, orders=None, omit=()) -> dict:
    """A compare file: baseline + one arm per intervention (common random numbers), and /compare.
    An effect of 0 gives an intervention that averts nothing on average."""
    rng = np.random.default_rng(seed)
    years = _years(start_date, days)
    R = replicates
    arms = ["baseline", *interventions]
    base = _summary_truth(rng, R, years)
    truth = {"arms": {"baseline": base}, "interventions": list(interventions)}
    for name, eff in zip(interventions, effects):
        # victims removed per replicate (noise around zero when eff == 0), applied to every margin
        delta = rng.binomial(base["victims"], eff) if eff > 0 else rng.integers(-2, 3, size=R)
        t = {k: v.copy() for k, v in base.items()}
        t["victims"] = base["victims"] - delta
        for key in [f"victims_by_{d}" for d in VICTIM_DIMS] + ["victims_by_year"]:
            t[key] = np.array([_shift(rng, row, d) for row, d in zip(base[key], delta)])
        truth["arms"][name] = t
    averted = np.array([base["victims"] - truth["arms"][n]["victims"] for n in interventions], dtype=float)
    m, lo, hi = _t_interval(averted)
    bmean = base["victims"].mean()
    cpva = np.where(m > 0, np.asarray(costs) / np.where(m > 0, m, 1), np.nan)
    truth["compare"] = dict(averted_mean=m, averted_lo=lo, averted_hi=hi, share_averted_mean=m / bmean,
                            share_averted_lo=lo / bmean, share_averted_hi=hi / bmean, cost=np.asarray(costs),
                            cost_per_victim_averted=cpva)
    # Rescue and shorter exploitation: person-days averted and extra rescues per replicate.
    days_averted = np.array([rng.normal(400.0 * eff * 10, 50.0, size=R) for eff in effects])
    rescued_more = np.array([rng.integers(0, 4, size=R) * (eff > 0) for eff in effects], dtype=float)
    dm, dl, dh = _t_interval(days_averted)
    rm, rl, rh = _t_interval(rescued_more)
    cpy = np.where(dm > 0, np.asarray(costs) / np.where(dm > 0, dm / 365.25, 1), np.nan)
    truth["benefits"] = dict(exploited_days_averted_mean=dm, exploited_days_averted_lo=dl, exploited_days_averted_hi=dh,
                             rescued_more_mean=rm, rescued_more_lo=rl, rescued_more_hi=rh,
                             cost_per_exploited_year_averted=cpy)
    with redes_file(path) as f:
        _metadata(f, "compare", R, days, start_date, arms=",".join(arms))
        w = Writer(f, {"replicate": list(range(R)), "day": list(range(days)), "year": years,
                       "intervention": list(interventions)}, reverse, orders)
        for arm in arms:
            t = truth["arms"][arm]
            _write_summary(w, f"/arms/{arm}", t)
            w.write(f"/arms/{arm}/trajectories/transitions", _transitions(rng, t, days),
                    ["replicate", "day", "transition", "route"], unit="persons/day")
        if "compare" not in omit:
            w.write("/compare/victims_averted", averted, ["intervention", "replicate"], dtype=np.float64,
                    unit="persons", estimate=True)
            for k, v in truth["compare"].items():
                unit = {"cost": "USD", "cost_per_victim_averted": "USD/victim"}.get(k)
                w.write(f"/compare/{k}", v, ["intervention"], dtype=np.float64, unit=unit,
                        estimate=k.startswith(("averted", "share")))
            if "benefits" not in omit:
                w.write("/compare/exploited_days_averted", days_averted, ["intervention", "replicate"],
                        dtype=np.float64, unit="person-days", estimate=True)
                w.write("/compare/victims_rescued_more", rescued_more, ["intervention", "replicate"],
                        dtype=np.float64, unit="persons", estimate=True)
                for k, v in truth["benefits"].items():
                    w.write(f"/compare/{k}", v, ["intervention"], dtype=np.float64,
                            unit="USD/person-year" if k.startswith("cost") else None, estimate=not k.startswith("cost"))
            for dim in ("department", "age_group", "gender", "route", "platform"):
                d = np.array([base[f"victims_by_{dim}"] - truth["arms"][n][f"victims_by_{dim}"]
                              for n in interventions], dtype=float)  # [I, R, dim]
                dm, dl, dh = _t_interval(d, axis=1)
                truth["compare"][f"averted_by_{dim}"] = (dm, dl, dh)
                for k, v in zip(("mean", "lo", "hi"), (dm, dl, dh)):
                    w.write(f"/compare/averted_by_{dim}_{k}", v, ["intervention", dim], dtype=np.float64,
                            unit="persons", estimate=True)
    return truth


# ---- sweep and calibration files ----

SWEEP_PARAMETERS = {"recruitment.recruiters.per_100k": (25.0, 100.0), "interventions[0].coverage": (0.0, 0.9)}
SWEEP_METRICS = ["victims", "recorded_victims", "cases.police", "victims.route.hunting"]
SWEEP_SOBOL = {  # [output][parameter], in SWEEP_PARAMETERS order
    "first": [[0.80, 0.05], [0.55, 0.10]], "total": [[0.90, 0.12], [0.70, 0.30]]}


def saltelli_unit(rng, samples: int, d: int) -> np.ndarray:
    """Saltelli layout: point j*(d+2) is A_j, +1 is B_j, +2+i is A_j with column i from B_j."""
    a, b = rng.uniform(size=(samples, d)), rng.uniform(size=(samples, d))
    rows = []
    for j in range(samples):
        rows += [a[j], b[j]]
        for i in range(d):
            ab = a[j].copy()
            ab[i] = b[j, i]
            rows.append(ab)
    return np.array(rows)


def make_sweep(path, samples=4, replicates=2, design="saltelli", missing=(), keep_sensitivity=False, seed=4,
               reverse=False, orders=None, trajectories=False, days=60, start_date="2019-01-01",
               outputs=("victims", "recorded_victims")) -> dict:
    """A sweep file with known numbers. missing: run indices not in the file (NaN metrics,
    completed 0); the sensitivity group is then left out, as redes does, unless keep_sensitivity."""
    rng = np.random.default_rng(seed)
    params = list(SWEEP_PARAMETERS)
    d = len(params)
    if design == "saltelli":
        unit = saltelli_unit(rng, samples, d)
    else:  # a 3 x 2 grid
        unit = np.array([[x, y] for x in (0.0, 0.5, 1.0) for y in (0.0, 1.0)])
    lo = np.array([SWEEP_PARAMETERS[p][0] for p in params])
    hi = np.array([SWEEP_PARAMETERS[p][1] for p in params])
    values = lo + unit * (hi - lo)
    P, R = len(values), len(values) * replicates
    point = np.repeat(np.arange(P), replicates)
    replicate = np.tile(np.arange(replicates), P)
    completed = np.ones(R, dtype=np.int32)
    completed[list(missing)] = 0
    victims = np.round(2.5 * values[point, 0] * (1 - 0.2 * values[point, 1]) + rng.normal(0, 5, R))
    recorded = np.round(0.3 * victims + rng.normal(0, 2, R))
    metrics = np.column_stack([victims, recorded, np.round(0.1 * victims), np.round(0.15 * victims)])
    metrics[completed == 0] = np.nan
    mean = np.full((P, len(SWEEP_METRICS)), np.nan)
    for p in range(P):
        rows = metrics[(point == p) & (completed == 1)]
        if len(rows):
            mean[p] = rows.mean(axis=0)
    t = dict(parameters=params, metrics=list(SWEEP_METRICS), outputs=list(outputs), unit=unit, values=values,
             point=point, replicate=replicate, completed=completed, metrics_values=metrics, mean=mean,
             points=P, runs=R, replicates=replicates, samples=samples, design=design)
    with_sensitivity = design == "saltelli" and (not missing or keep_sensitivity)
    with redes_file(path) as f:
        _metadata(f, "sweep", replicates, days, start_date, sweep_name="test-sweep", sweep_file="sweeps/test.yaml",
                  sweep_text="name: test-sweep\nbaseline: ../test.yaml\n", sweep_fingerprint="0123456789abcdef",
                  design=design, points=P, runs=R, runs_completed=int(completed.sum()), common_random_numbers=1,
                  part="whole sweep", ranks=1)
        w = Writer(f, {"point": list(range(P)), "run": list(range(R)), "parameter": params,
                       "metric": list(SWEEP_METRICS), "output": list(outputs), "day": list(range(days))},
                   reverse, orders)
        w.write("/sweep/design/unit", unit, ["point", "parameter"], dtype=np.float64)
        w.write("/sweep/design/values", values, ["point", "parameter"], dtype=np.float64)
        f["/sweep/design"].attrs["type"] = design
        f["/sweep/design"].attrs["samples"] = samples
        w.write("/sweep/runs/point", point, ["run"], dtype=np.int64)
        w.write("/sweep/runs/replicate", replicate, ["run"], dtype=np.int64)
        w.write("/sweep/runs/seed", np.full(R, 7), ["run"], dtype=np.int64)
        w.write("/sweep/runs/completed", completed, ["run"], dtype=np.int32)
        w.write("/sweep/runs/metrics", metrics, ["run", "metric"], dtype=np.float64, estimate=True)
        if trajectories:
            t["new_victims"] = rng.poisson(0.5, size=(R, days))
            w.write("/sweep/runs/new_victims", t["new_victims"], ["run", "day"], unit="persons/day")
        w.write("/sweep/points/mean", mean, ["point", "metric"], dtype=np.float64, estimate=True)
        if with_sensitivity:
            first = np.array(SWEEP_SOBOL["first"])[:len(outputs)]
            total = np.array(SWEEP_SOBOL["total"])[:len(outputs)]
            sens = {"first": first, "total": total, "first_lo": first - 0.1, "first_hi": first + 0.1,
                    "total_lo": total - 0.05, "total_hi": total + 0.2}
            for k, v in sens.items():
                w.write(f"/sweep/sensitivity/{k}", v, ["output", "parameter"], dtype=np.float64)
            var = np.array([np.nanvar(mean[:, SWEEP_METRICS.index(o)]) for o in outputs])
            w.write("/sweep/sensitivity/variance", var, ["output"], dtype=np.float64)
            f["/sweep/sensitivity"].attrs["method"] = "Saltelli (2010) first-order and Jansen (1999) total"
            f["/sweep/sensitivity"].attrs["bootstrap"] = 100
            t["sensitivity"] = {**sens, "variance": var}
    return t


CAL_PARAMETERS = {"recruitment.recruiters.per_100k": (1.0, 25.0), "observation.fear": (0.1, 0.95)}
CAL_TARGETS = [("police cases", [2020, 2021, 2022], [30.0, 41.0, 38.0]),
               ("female share of prosecutor victims", [2020, 2021], [78.0, 95.0])]


def weighted_q(x, w, q):
    """Independent statement of redes' weighted quantile: values at the midpoints of their
    cumulative weight, linear interpolation in between."""
    order = np.argsort(x)
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    mid = (np.cumsum(w) - w / 2) / w.sum()
    return float(np.interp(q, mid, x))


def make_calibration(path, particles=40, generations=3, seed=6, ridge=True, reverse=False, orders=None,
                     days=1461, start_date="2020-01-01", agents=1000, represents=1000.0) -> dict:
    """A calibration file with known numbers. ridge: the posterior lies along fear = 1 - 1.5 /
    recruiters (recorded counts fix their product); otherwise the two are independent."""
    rng = np.random.default_rng(seed)
    params = list(CAL_PARAMETERS)
    N, G = particles, generations
    rec = np.exp(rng.uniform(np.log(2.0), np.log(25.0), N))
    fear = np.clip(1 - 1.5 / rec + rng.normal(0, 0.02, N), 0.1, 0.95) if ridge else rng.uniform(0.1, 0.95, N)
    theta = np.column_stack([rec, fear])
    weight = rng.dirichlet(np.ones(N) * 5)
    distance = rng.uniform(0.5, 1.5, N)
    true_v = np.round(300 * rec)
    recorded = np.round(true_v * (1 - fear) * 0.3)
    hidden = true_v - recorded
    gtheta = np.empty((G, N, 2))
    for g in range(G - 1):
        gtheta[g] = np.column_stack([np.exp(rng.uniform(0, np.log(25), N)), rng.uniform(0.1, 0.95, N)])
    gtheta[G - 1] = theta
    gen = dict(epsilon=np.linspace(3.0, 1.0, G), acceptance=np.linspace(0.3, 0.1, G), ess=np.linspace(N, N / 2, G),
               simulations=np.array([N / 0.3] + [N / 0.3 * (g + 1) for g in range(1, G)]).round())
    labels, target_of, observed = [], [], []
    for name, years, vals in CAL_TARGETS:
        for y, v in zip(years, vals):
            labels.append(f"{name} {y}")
            target_of.append(name)
            observed.append(v)
    observed = np.array(observed)
    model = observed[None, :] * rng.uniform(0.8, 1.2, size=(N, len(observed)))
    model[:, -1] = rng.uniform(60, 80, N)  # the last point (female share 2021, 95) is missed
    fit = {"observed": observed}
    for k, q in (("model_median", 0.5), ("model_q05", 0.05), ("model_q95", 0.95)):
        fit[k] = np.array([weighted_q(model[:, j], weight, q) for j in range(len(observed))])
    summary = {"prior_min": np.array([CAL_PARAMETERS[p][0] for p in params]),
               "prior_max": np.array([CAL_PARAMETERS[p][1] for p in params])}
    for k, q in (("median", 0.5), ("q05", 0.05), ("q95", 0.95)):
        summary[k] = np.array([weighted_q(theta[:, i], weight, q) for i in range(2)])
    victims = {who: {k: weighted_q(v, weight, q) for k, q in (("median", 0.5), ("q05", 0.05), ("q95", 0.95))}
               for who, v in (("hidden", hidden), ("true", true_v), ("recorded", recorded))}
    t = dict(parameters=params, theta=theta, weight=weight, distance=distance, true_victims=true_v,
             recorded_victims=recorded, generations_theta=gtheta, generations=gen, target_points=labels,
             target_of=target_of, fit=fit, model=model, summary=summary, victims=victims,
             simulations=int(gen["simulations"].sum()))
    with redes_file(path) as f:
        _metadata(f, "calibration", 1, days, start_date, calibration_name="test-calibration",
                  calibration_file="scenarios/test-calibration.yaml",
                  calibration_text="name: test-calibration\nparameters: []\n",
                  method="ABC rejection then ABC-SMC with adaptive tolerances (Toni et al. 2009; Beaumont et al. 2009)",
                  stop_reason="generations done", simulations=t["simulations"], seconds=1.5)
        f["/metadata"].attrs["agents"] = agents
        f["/metadata"].attrs["represents"] = represents
        w = Writer(f, {"particle": list(range(N)), "generation": list(range(G)), "parameter": params,
                       "target_point": labels}, reverse, orders)
        w.write("/calibration/posterior/theta", theta, ["particle", "parameter"], dtype=np.float64)
        w.write("/calibration/posterior/weight", weight, ["particle"], dtype=np.float64)
        w.write("/calibration/posterior/distance", distance, ["particle"], dtype=np.float64)
        w.write("/calibration/posterior/true_victims", true_v, ["particle"], dtype=np.float64, unit="persons")
        w.write("/calibration/posterior/recorded_victims", recorded, ["particle"], dtype=np.float64, unit="persons")
        f["/calibration/posterior"].attrs["estimate"] = "model estimates: weighted ABC-SMC posterior particles"
        w.write("/calibration/generations/theta", gtheta, ["generation", "particle", "parameter"], dtype=np.float64)
        for k, v in gen.items():
            w.write(f"/calibration/generations/{k}", v, ["generation"], dtype=np.float64)
        for k, v in summary.items():
            w.write(f"/calibration/summary/{k}", v, ["parameter"], dtype=np.float64)
        for who in ("hidden", "true"):
            for k in ("median", "q05", "q95"):
                f["/calibration/summary"].attrs[f"{who}_victims_{k}"] = victims[who][k]
        for k, v in fit.items():
            w.write(f"/calibration/fit/{k}", v, ["target_point"], dtype=np.float64)
        w.write("/calibration/fit/model", model, ["particle", "target_point"], dtype=np.float64)
        f["/calibration/fit"].attrs["target_of_point"] = "|".join(target_of)
    return t
