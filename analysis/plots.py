"""Figures for the report. Each function returns (Figure, numbers): the numbers are exactly what
was drawn, so tests can check plotted totals against the HDF5 file.

Figures are built with matplotlib.figure.Figure (Agg, no pyplot global state), with the
Okabe-Ito colour-blind-safe palette and fonts large enough for a projector. Every victim count
is labelled as a model estimate, with the interval that its whiskers or bands show.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.i18n import label, tr
from analysis.load import labelled, metadata, per_replicate, summarise

#: Okabe-Ito palette, ordered so that early colours are distinct on white (yellow last).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]

STYLE = {
    "font.size": 16, "axes.titlesize": 18, "axes.labelsize": 16, "xtick.labelsize": 14,
    "ytick.labelsize": 14, "legend.fontsize": 14, "figure.titlesize": 19,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
}

LEVEL = 0.90  # interval across replicates used for every replicate-spread whisker and band


def pretty(name: str) -> str:
    """Label for display in the report's language: 'trusted_contact' -> 'trusted contact'."""
    return label(name)


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _styled(fn):
    """Run a plotting function with the report style active (text reads rcParams on creation)."""
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return fn(*args, **kwargs)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _below(ax, ncol=2):
    """Legend under the axes, where it cannot hide bars or labels."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=ncol, frameon=False)


def _time_axis(ax):
    """Few, compact date ticks (a 5-year daily series otherwise gets unreadable labels)."""
    loc = matplotlib.dates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(loc))


def _days_to_x(f, days):
    """Day numbers -> dates when /metadata has start_date, else the day numbers themselves."""
    start = metadata(f).get("start_date")
    if not start:
        return days, tr("plot.day"), False
    return pd.to_datetime(start) + pd.to_timedelta(days, unit="D"), tr("plot.date"), True


def _err(s: pd.DataFrame) -> np.ndarray:
    """Whisker lengths (below, above) from mean/lo/hi, never negative."""
    return np.vstack([np.clip(s["mean"] - s["lo"], 0, None), np.clip(s["hi"] - s["mean"], 0, None)])


def _n_replicates(f, root: str) -> int:
    arr, _ = labelled(f, f"{root}/summary/victims", ["replicate"])
    return len(arr)


@_styled
def stage_trajectories(f, root: str = ""):
    """People in each active stage by day: median and 90% band over replicates, one panel per stage."""
    arr, ax = labelled(f, f"{root}/trajectories/stock", ["replicate", "day", "stage"])
    days, stages = dict(ax)["day"], dict(ax)["stage"]
    a = (1 - LEVEL) / 2
    lo, med, hi = np.quantile(arr.astype(float), [a, 0.5, 1 - a], axis=0)  # each [day, stage]
    x, xlabel, dated = _days_to_x(f, days)
    ncol = 3
    nrow = int(np.ceil(len(stages) / ncol))
    fig = _figure(16, 4.2 * nrow + 0.8)
    axs = fig.subplots(nrow, ncol, sharex=True, squeeze=False).ravel()
    rows = []
    for j, stage in enumerate(stages):
        axj = axs[j]
        colour = OKABE_ITO[j % len(OKABE_ITO)]
        axj.fill_between(x, lo[:, j], hi[:, j], color=colour, alpha=0.3, linewidth=0)
        axj.plot(x, med[:, j], color=colour, linewidth=2.5)
        axj.set_title(pretty(stage))
        axj.set_ylabel(tr("plot.persons"))
        axj.set_ylim(bottom=0)
        rows.append(pd.DataFrame({"day": days, "stage": stage, "median": med[:, j],
                                  "lo": lo[:, j], "hi": hi[:, j]}))
    for axj in axs[len(stages):]:
        axj.set_visible(False)
    for axj in axs:
        if dated:  # after all plotting: plotting dates on a shared axis resets its ticker
            _time_axis(axj)
    fig.suptitle(tr("plot.stages_title", estimate=tr("estimate"), n=arr.shape[0]))
    fig.supxlabel(xlabel)
    return fig, pd.concat(rows, ignore_index=True)


@_styled
def funnel_by_route(f, root: str = ""):
    """Pipelines started and people recruited, per route (mean per replicate, 90% whiskers)."""
    started = summarise(per_replicate(f, f"{root}/summary/attempts_by_route", "route"), LEVEL)
    recruited = summarise(per_replicate(f, f"{root}/summary/victims_by_route", "route"), LEVEL)
    routes = list(recruited.index)
    started = started.reindex(routes)
    x = np.arange(len(routes))
    w = 0.38
    fig = _figure(12, 6.5)
    ax = fig.subplots()
    ax.bar(x - w / 2, started["mean"], w, yerr=_err(started), capsize=6, color=OKABE_ITO[0],
           label=tr("plot.funnel_started"))
    ax.bar(x + w / 2, recruited["mean"], w, yerr=_err(recruited), capsize=6, color=OKABE_ITO[3],
           label=tr("plot.funnel_recruited"))
    ax.set_yscale("log")
    conversion = recruited["total"] / started["total"].replace(0, np.nan)
    for i, r in enumerate(routes):
        ax.annotate(tr("plot.funnel_note", recruited=f"{recruited['mean'].iloc[i]:,.0f}",
                      pct=f"{100 * conversion.iloc[i]:.1f}"),
                    (x[i] + w / 2, max(recruited["hi"].iloc[i], 1)), ha="center", va="bottom",
                    fontsize=13, xytext=(0, 4), textcoords="offset points")
    ax.set_xticks(x, [pretty(r) for r in routes])
    ax.set_xlabel(tr("plot.funnel_x"))
    ax.set_ylabel(tr("plot.funnel_y"))
    ax.set_title(tr("plot.funnel_title", estimate=tr("estimate")), fontsize=15)
    _below(ax)
    numbers = pd.DataFrame({"route": routes})
    for name, s in (("started", started), ("recruited", recruited)):
        for col in ("mean", "lo", "hi", "total"):
            numbers[f"{name}_{col}"] = s[col].to_numpy()
    numbers["conversion"] = conversion.to_numpy()
    return fig, numbers


def _hbar(ax, s: pd.DataFrame, colour: str):
    """Horizontal bars in category order (first at top), mean with 90% whiskers."""
    y = np.arange(len(s))
    ax.barh(y, s["mean"], xerr=_err(s), capsize=5, color=colour)
    ax.set_yticks(y, [pretty(c) for c in s.index])
    ax.invert_yaxis()
    ax.set_xlim(left=0)


def _numbers(s: pd.DataFrame, dim: str) -> pd.DataFrame:
    return s.rename_axis(dim).reset_index()


@_styled
def victims_by(f, dim: str, root: str = "", colour: str = OKABE_ITO[0]):
    """Victims by one category axis (platform, department, ...): mean per replicate with 90% whiskers."""
    s = summarise(per_replicate(f, f"{root}/summary/victims_by_{dim}", dim), LEVEL)
    fig = _figure(12, max(4.5, 0.5 * len(s) + 2))
    ax = fig.subplots()
    _hbar(ax, s, colour)
    ax.set_xlabel(tr("plot.victims_by_x", estimate=tr("estimate")))
    ax.set_ylabel(pretty(dim))
    ax.set_title(tr("plot.victims_by_title", dim=pretty(dim), estimate=tr("estimate"), n=int(s['n'].iloc[0])),
                 fontsize=15)
    return fig, _numbers(s, dim)


@_styled
def victims_by_age_gender(f, root: str = ""):
    """Victims by age group and by gender, side by side (the file stores the two margins)."""
    age = summarise(per_replicate(f, f"{root}/summary/victims_by_age_group", "age_group"), LEVEL)
    gender = summarise(per_replicate(f, f"{root}/summary/victims_by_gender", "gender"), LEVEL)
    fig = _figure(15, 5.5)
    a1, a2 = fig.subplots(1, 2, width_ratios=[2, 1.3])
    _hbar(a1, age, OKABE_ITO[2])
    a1.set_title(tr("plot.by_age"))
    a1.set_xlabel(tr("plot.persons_per_run"))
    _hbar(a2, gender, OKABE_ITO[4])
    a2.set_title(tr("plot.by_gender"))
    a2.set_xlabel(tr("plot.persons_per_run"))
    fig.suptitle(tr("plot.age_gender_title", estimate=tr("estimate")))
    return fig, {"age_group": _numbers(age, "age_group"), "gender": _numbers(gender, "gender")}


def _compare_table(f) -> pd.DataFrame:
    """/compare per-intervention numbers, aligned by the intervention label."""
    cols = {}
    names = None
    for key in ("averted_mean", "averted_lo", "averted_hi", "cost"):
        arr, ax = labelled(f, f"/compare/{key}", ["intervention"])
        s = pd.Series(arr.astype(float), index=list(ax[0][1]))
        names = list(s.index) if names is None else names
        cols[key] = s.reindex(names)
    return pd.DataFrame(cols).rename_axis("intervention")


@_styled
def forest(f):
    """Victims averted per intervention: mean with 95% interval (paired over replicates)."""
    t = _compare_table(f)
    y = np.arange(len(t))
    fig = _figure(12, max(3.5, 0.9 * len(t) + 2))
    ax = fig.subplots()
    ax.axvline(0, color="0.4", linewidth=1.5)
    err = np.vstack([np.clip(t["averted_mean"] - t["averted_lo"], 0, None),
                     np.clip(t["averted_hi"] - t["averted_mean"], 0, None)])
    ax.errorbar(t["averted_mean"], y, xerr=err, fmt="o", markersize=11, capsize=7,
                color=OKABE_ITO[0], linewidth=2.5)
    ax.set_yticks(y, [pretty(n) for n in t.index])
    ax.invert_yaxis()
    ax.set_xlabel(tr("plot.forest_x", estimate=tr("estimate")))
    ax.set_title(tr("plot.forest_title"))
    return fig, t.reset_index()[["intervention", "averted_mean", "averted_lo", "averted_hi"]]


@_styled
def benefits(f):
    """Benefits beyond recruitments prevented: exploited person-days averted per intervention
    (mean with 95% interval, paired over replicates)."""
    cols, names = {}, None
    for key in ("exploited_days_averted_mean", "exploited_days_averted_lo", "exploited_days_averted_hi"):
        arr, ax = labelled(f, f"/compare/{key}", ["intervention"])
        s = pd.Series(arr.astype(float), index=list(ax[0][1]))
        names = list(s.index) if names is None else names
        cols[key.replace("exploited_days_averted", "days")] = s.reindex(names)
    t = pd.DataFrame(cols).rename_axis("intervention")
    y = np.arange(len(t))
    fig = _figure(12, max(3.5, 0.9 * len(t) + 2))
    ax = fig.subplots()
    ax.axvline(0, color="0.4", linewidth=1.5)
    err = np.vstack([np.clip(t["days_mean"] - t["days_lo"], 0, None), np.clip(t["days_hi"] - t["days_mean"], 0, None)])
    ax.errorbar(t["days_mean"], y, xerr=err, fmt="s", markersize=11, capsize=7, color=OKABE_ITO[2], linewidth=2.5)
    ax.set_yticks(y, [pretty(n) for n in t.index])
    ax.invert_yaxis()
    ax.set_xlabel(tr("plot.benefits_x", estimate=tr("estimate")))
    ax.set_title(tr("plot.benefits_title"))
    return fig, t.reset_index()


@_styled
def cost_effectiveness(f):
    """Cost-effectiveness plane: victims averted (x, 95% interval) against cost (y, USD)."""
    t = _compare_table(f)
    fig = _figure(12, 7)
    ax = fig.subplots()
    ax.axvline(0, color="0.4", linewidth=1.2)
    for i, (name, r) in enumerate(t.iterrows()):
        c = OKABE_ITO[i % len(OKABE_ITO)]
        ax.errorbar(r["averted_mean"], r["cost"],
                    xerr=[[max(r["averted_mean"] - r["averted_lo"], 0)],
                          [max(r["averted_hi"] - r["averted_mean"], 0)]],
                    fmt="o", markersize=12, capsize=6, color=c, linewidth=2, label=pretty(name))
    ax.set_xlabel(tr("plot.ce_x", estimate=tr("estimate")))
    ax.set_ylabel(tr("plot.ce_y"))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_title(tr("plot.ce_title"))
    ax.legend(loc="best")
    return fig, t.reset_index()[["intervention", "averted_mean", "averted_lo", "averted_hi", "cost"]]


@_styled
def cumulative_by_arm(f, arms: list[str]):
    """Cumulative people recruited over time in each compare arm: median and 90% band."""
    fig = _figure(14, 6.5)
    ax = fig.subplots()
    a = (1 - LEVEL) / 2
    rows = []
    for i, arm in enumerate(arms):
        arr, ax_ = labelled(f, f"/arms/{arm}/trajectories/transitions", ["replicate", "day", "transition"])
        d = dict(ax_)
        k = list(d["transition"]).index("recruited")
        cum = np.cumsum(arr[:, :, k], axis=1).astype(float)
        lo, med, hi = np.quantile(cum, [a, 0.5, 1 - a], axis=0)
        x, xlabel, dated = _days_to_x(f, d["day"])
        c = OKABE_ITO[i % len(OKABE_ITO)]
        if i == 0:  # one band only: the arms share random numbers, so their bands overlap heavily
            ax.fill_between(x, lo, hi, color=c, alpha=0.2, linewidth=0, label=tr("plot.band", arm=pretty(arm)))
        ax.plot(x, med, color=c, linewidth=2.5, label=tr("plot.median", arm=pretty(arm)))
        rows.append(pd.DataFrame({"arm": arm, "day": d["day"], "median": med, "lo": lo, "hi": hi}))
    if dated:
        _time_axis(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(tr("plot.cumulative_y"))
    ax.set_title(tr("plot.cumulative_title", estimate=tr("estimate")), fontsize=15)
    ax.legend(loc="upper left")
    return fig, pd.concat(rows, ignore_index=True)


@_styled
def observed_by_year(f, root: str = ""):
    """True vs recorded victims per year (mean, 90% whiskers) and the hidden share per year."""
    true = summarise(per_replicate(f, f"{root}/observed/true_victims", "year"), LEVEL)
    rec = summarise(per_replicate(f, f"{root}/observed/recorded_victims", "year"), LEVEL)
    years = list(true.index)
    rec = rec.reindex(years)
    hidden = 1 - rec["total"] / true["total"].replace(0, np.nan)
    x = np.arange(len(years))
    w = 0.38
    fig = _figure(13, 6.5)
    ax = fig.subplots()
    ax.bar(x - w / 2, true["mean"], w, yerr=_err(true), capsize=6, color=OKABE_ITO[3],
           label=tr("plot.observed_true"))
    ax.bar(x + w / 2, rec["mean"], w, yerr=_err(rec), capsize=6, color=OKABE_ITO[0],
           label=tr("plot.observed_recorded"))
    for i in range(len(years)):
        if np.isfinite(hidden.iloc[i]):
            ax.annotate(tr("plot.hidden", pct=f"{100 * hidden.iloc[i]:.0f}"), (x[i], max(true["hi"].iloc[i], rec["hi"].iloc[i])),
                        ha="center", va="bottom", fontsize=13, xytext=(0, 6), textcoords="offset points")
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_xlabel(tr("plot.year"))
    ax.set_ylabel(tr("plot.persons_per_year"))
    ax.set_ylim(top=ax.get_ylim()[1] * 1.12)
    ax.set_title(tr("plot.observed_title", estimate=tr("estimate")), fontsize=15)
    _below(ax)
    numbers = pd.DataFrame({"year": years})
    for name, s in (("true", true), ("recorded", rec)):
        for col in ("mean", "lo", "hi", "total"):
            numbers[f"{name}_{col}"] = s[col].to_numpy()
    numbers["hidden_share"] = hidden.to_numpy()
    return fig, numbers


# ---- sweep and calibration files (loaded with analysis.studies) ----

def _panels(fig: Figure, n: int, ncol: int):
    ncol = max(1, min(ncol, n))
    nrow = int(np.ceil(n / ncol))
    axs = fig.subplots(nrow, ncol, squeeze=False).ravel()
    for a in axs[n:]:
        a.set_visible(False)
    return axs[:n]


def _whiskers(value, lo, hi) -> np.ndarray:
    """Whisker lengths (below, above) from a value and its interval, never negative (a bootstrap
    percentile interval need not contain the point estimate)."""
    value, lo, hi = (np.asarray(v, dtype=float) for v in (value, lo, hi))
    return np.vstack([np.clip(value - lo, 0, None), np.clip(hi - value, 0, None)])


@_styled
def sobol_indices(sweep):
    """First-order and total Sobol index per parameter, one panel per output, with 95% bootstrap
    intervals as whiskers."""
    s = sweep.sensitivity
    outputs = sweep.outputs()
    params = sweep.parameters
    fig = _figure(15 if len(outputs) > 1 else 12, max(4.5, (0.9 * len(params) + 2.2) * np.ceil(len(outputs) / 2)))
    axs = _panels(fig, len(outputs), 2)
    y = np.arange(len(params))
    h = 0.38
    for ax, out in zip(axs, outputs):
        t = s[s["output"] == out].set_index("parameter").reindex(params)
        ax.barh(y - h / 2, t["first"], h, xerr=_whiskers(t["first"], t["first_lo"], t["first_hi"]), capsize=5,
                color=OKABE_ITO[0], label=tr("plot.sobol_first"))
        ax.barh(y + h / 2, t["total"], h, xerr=_whiskers(t["total"], t["total_lo"], t["total_hi"]), capsize=5,
                color=OKABE_ITO[1], label=tr("plot.sobol_total"))
        ax.axvline(0, color="0.3", linewidth=1.2)
        ax.axvline(1, color="0.5", linewidth=1, linestyle=":")
        ax.set_yticks(y, params)
        ax.invert_yaxis()
        ax.set_title(pretty(out))
        ax.set_xlabel(tr("plot.sobol_x"))
    last_row = axs[(len(outputs) - 1) // 2 * 2]  # legend under the bottom row, clear of every panel
    last_row.legend(*axs[0].get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2,
                    frameon=False)
    fig.suptitle(tr("plot.sobol_title", estimate=tr("estimate")))
    return fig, s.copy()


@_styled
def sweep_scatter(sweep, metric: str = "victims"):
    """Mean of `metric` per design point against each parameter's value (one panel per
    parameter); with several replicates, each run is a small grey dot behind its point's mean."""
    t = sweep.points_table(metric)
    runs = sweep.tidy_runs(metric).merge(sweep.design_values.reset_index(), on="point")
    params = sweep.parameters
    ncol = min(3, len(params))
    nrow = int(np.ceil(len(params) / ncol))
    fig = _figure(5.4 * ncol + 1.5, 4.8 * nrow + 1)
    axs = _panels(fig, len(params), ncol)
    have = t[np.isfinite(t[metric])]
    for j, (ax, p) in enumerate(zip(axs, params)):
        if sweep.replicates > 1 and len(runs):
            ax.scatter(runs[p], runs["value"], s=14, color="0.6", alpha=0.6, linewidths=0,
                       label=tr("plot.one_run") if j == 0 else None)
        ax.scatter(have[p], have[metric], s=60, color=OKABE_ITO[j % len(OKABE_ITO)], edgecolors="black",
                   linewidths=0.6, label=tr("plot.mean_per_point") if j == 0 else None)
        ax.set_xlabel(p, fontsize=13)
        ax.set_ylabel(tr("plot.scatter_y", metric=pretty(metric)) if j % ncol == 0 else "")
        ax.set_ylim(bottom=0)
    missing = len(t) - len(have)
    reps = (tr("n.replicate") if sweep.replicates == 1 else tr("n.replicates")).format(n=sweep.replicates)
    fig.suptitle(tr("plot.scatter_title", metric=pretty(metric).capitalize(), estimate=tr("estimate"), reps=reps,
                    missing=tr("plot.scatter_missing", n=missing) if missing else ""), fontsize=16)
    if sweep.replicates > 1:
        axs[0].legend(loc="best", fontsize=12)
    return fig, t


@_styled
def calibration_fit(cal):
    """Observed value of each target point against the calibrated model: posterior median with its
    90% interval. One panel per target (targets have different units)."""
    fit = cal.fit
    targets = list(dict.fromkeys(fit["target"]))
    sizes = [int((fit["target"] == t).sum()) for t in targets]
    fig = _figure(12, sum(0.55 * n + 1.6 for n in sizes) + 1.2)
    axs = fig.subplots(len(targets), 1, squeeze=False, height_ratios=[n + 1.5 for n in sizes]).ravel()
    for i, (ax, target) in enumerate(zip(axs, targets)):
        t = fit[fit["target"] == target]
        y = np.arange(len(t))
        labels = [tp[len(target):].strip() or tp if tp.startswith(target) else tp for tp in t.index]
        ax.errorbar(t["model_median"], y + 0.12, xerr=_whiskers(t["model_median"], t["model_q05"], t["model_q95"]),
                    fmt="o", markersize=9, capsize=6, color=OKABE_ITO[0], linewidth=2.2,
                    label=tr("plot.cal_model") if i == 0 else None)
        fitted = t["fitted"].to_numpy(dtype=bool) if "fitted" in t else np.ones(len(t), dtype=bool)
        ax.scatter(t["observed"][fitted], (y - 0.12)[fitted], marker="D", s=70, color=OKABE_ITO[6], zorder=3,
                   label=tr("plot.cal_observed") if i == 0 else None)
        if (~fitted).any():
            ax.scatter(t["observed"][~fitted], (y - 0.12)[~fitted], marker="D", s=70, facecolors="none",
                       edgecolors=OKABE_ITO[5], linewidths=2, zorder=3, label=tr("plot.cal_left_out"))
        ax.set_yticks(y, labels)
        ax.set_ylim(len(t) - 0.5, -0.5)
        ax.set_title(target, fontsize=15)
        ax.set_xlim(left=0)
    axs[-1].set_xlabel(tr("plot.cal_fit_x", estimate=tr("estimate")))
    axs[0].legend(loc="lower center", bbox_to_anchor=(0.5, 1.12), ncol=2, frameon=False)
    fig.suptitle(tr("plot.cal_fit_title"))
    return fig, fit.reset_index()


@_styled
def posterior_particles(cal, a: str | None = None, b: str | None = None):
    """Posterior particles of two parameters (default: the first two), point area proportional to
    the particle weight; the axes span the prior ranges. Particles lined up along a curve rather
    than in a round cloud show a ridge: the data pin down a combination of the two, not each."""
    from analysis.studies import log_scaled, posterior_correlation
    a = a or cal.parameters[0]
    b = b or cal.parameters[1]
    post = cal.posterior
    w = post["weight"].to_numpy()
    fig = _figure(11, 8.5)
    ax = fig.subplots()
    gens = cal.generation_theta
    first = gens[gens["generation"] == gens["generation"].min()] if len(gens) else gens
    if len(cal.generations) > 1 and len(first):
        ax.scatter(first[a], first[b], s=30, marker="x", color="0.55", linewidths=1.2,
                   label=tr("plot.particles_first"))
    ax.scatter(post[a], post[b], s=40 + 900 * w / w.max(), color=OKABE_ITO[0], alpha=0.55, edgecolors="black",
               linewidths=0.8, label=tr("plot.particles_posterior"))
    for p, axis, set_scale, set_lim in ((a, ax.xaxis, ax.set_xscale, ax.set_xlim),
                                        (b, ax.yaxis, ax.set_yscale, ax.set_ylim)):
        lo, hi = cal.summary.at[p, "prior_min"], cal.summary.at[p, "prior_max"]
        if log_scaled(cal, p):
            set_scale("log")
            set_lim(lo / 1.08, hi * 1.08)
            # plain numbers at 1-2-5 steps: "20, 50, 100, 200" reads better than "10^2"
            axis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:g}"))
            axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        else:
            pad = 0.03 * (hi - lo) if hi > lo else 1.0
            set_lim(lo - pad, hi + pad)
    ax.set_xlabel(a + (tr("cal.log_scale") if log_scaled(cal, a) else ""))
    ax.set_ylabel(b + (tr("cal.log_scale") if log_scaled(cal, b) else ""))
    r = posterior_correlation(cal, a, b)
    ax.set_title(tr("plot.particles_title", r=f"{r:+.2f}"), fontsize=16)
    _below(ax)
    numbers = pd.DataFrame({"particle": post.index, a: post[a].to_numpy(), b: post[b].to_numpy(), "weight": w})
    numbers.attrs["correlation"] = r
    return fig, numbers
