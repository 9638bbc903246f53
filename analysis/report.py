"""One self-contained HTML report from redes run, compare, sweep and calibration files.

    python3 -m analysis.report PATH [-o report.html] [--lang es|en]

PATH is an .h5 file or a directory (every *.h5 in it, sorted). The report opens with plain
headline sentences, then a "how to read this / limits" paragraph, then one section per file.
Plots are inline base64 PNGs and the CSS is inline: the file can be mailed or opened offline.
Every victim number is called a model estimate and shown with its interval. Input problems
raise ReportError, which the CLI prints (no traceback) before exiting with status 2.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import io
import math
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import plots
from analysis.i18n import language, language_from_environment, set_language, tr
from analysis.studies import load_calibration, load_sweep, log_scaled, posterior_correlation
from analysis.load import (MissingData, ReportError, attrs, kind, labelled, metadata, open_h5,
                           per_replicate, quantiles, require_group, split_list, summarise)

RUN_WHY = "it is not a redes run or compare file"

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:18px;
 line-height:1.5;max-width:1100px;margin:2em auto;padding:0 1em;color:#1a1a1a;background:#fff}
h1{font-size:2em;margin-bottom:.2em} h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.6em} .meta{color:#555} .note{background:#fff6e0;border-left:5px solid #E69F00;
 padding:.5em 1em} .headline{font-size:1.15em} .headline li{margin:.4em 0}
.limits{background:#eef6fb;border-left:5px solid #0072B2;padding:.6em 1em}
figure{margin:1.2em 0} figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{color:#444;font-size:.9em} table{border-collapse:collapse;margin:.8em 0;font-size:.95em}
th,td{border:1px solid #ccc;padding:.3em .7em;text-align:left} td.n{text-align:right}
th{background:#f2f2f2} pre{background:#f7f7f7;padding:1em;overflow-x:auto;font-size:.8em}
"""



# ---- number formatting (shared with the tests so that sentences can be checked exactly) ----

def fmt_count(x) -> str:
    """1234.4 -> '1,234'; small non-integers keep one decimal; NaN -> 'n/a'."""
    x = float(x)
    if not math.isfinite(x):
        return tr("n_a")
    if abs(x) >= 10 or abs(x - round(x)) < 1e-9:
        return f"{x:,.0f}"
    return f"{x:.1f}"


def fmt_range(lo, hi) -> str:
    """Interval text: '1,100–1,380', or '-10 to 130' when a bound is negative."""
    sep = tr("range_to") if min(float(lo), float(hi)) < 0 else "–"
    return f"{fmt_count(lo)}{sep}{fmt_count(hi)}"


def fmt_pct(x) -> str:
    """Fraction -> percent text ('0.07' -> '7%')."""
    x = float(x)
    if not math.isfinite(x):
        return tr("n_a")
    return f"{100 * x:.1f}%" if abs(x) < 0.01 else f"{100 * x:.0f}%"


def fmt_usd(x) -> str:
    x = float(x)
    return tr("n_a") if not math.isfinite(x) else f"USD {x:,.0f}"


def horizon(md: dict) -> str:
    """'5 years' when the run covers whole years, else 'N days'."""
    days = md.get("days")
    if days is None:
        return tr("horizon.period")
    years = int(days) / 365.25
    if years >= 1 and abs(years - round(years)) < 0.02:
        n = round(years)
        return tr("horizon.year") if n == 1 else tr("horizon.years", n=n)
    return tr("horizon.days", n=f"{int(days):,}")


def victims_sentence(values, md: dict, prefix: str | None = None) -> str:
    """Headline: people recruited over the horizon, median and 90% interval across replicates."""
    med, lo, hi = quantiles(values)
    n = len(values)
    tail = tr("victims.single") if n == 1 else tr("victims.interval", range=fmt_range(lo, hi), n=n)
    # A sample of a larger population: say so, so nobody quotes sample counts as national ones.
    return tr("victims.sentence", prefix=tr("victims.prefix") if prefix is None else prefix, median=fmt_count(med),
             horizon=horizon(md), tail=tail) + scale_note(md)


def scale_note(md: dict) -> str:
    """' These counts are for N synthetic persons standing for M people; ...' for samples, else ''."""
    agents, represents = md.get("agents"), md.get("represents")
    if agents and represents and abs(float(represents) / float(agents) - 1) > 1e-9:
        return tr("scale_note", agents=f"{int(agents):,}", represents=f"{float(represents):,.0f}",
                 factor=f"{float(represents) / float(agents):.1f}")
    return ""


# ---- HTML building ----

def esc(s) -> str:
    return html.escape(str(s), quote=True)


def table(headers: list[str], rows: list[list], numeric_from: int = 1) -> str:
    """A plain HTML table; cells are escaped; columns from `numeric_from` align right."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{esc(c)}</td>' if j >= numeric_from else f"<td>{esc(c)}</td>"
                         for j, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure_html(fig, alt: str, caption: str) -> str:
    """Figure -> inline base64 PNG with alt text and caption."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<figure><img alt="{esc(alt)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def summary_rows(numbers: pd.DataFrame, dim: str) -> list[list]:
    return [[plots.pretty(r[dim]), fmt_count(r["mean"]), fmt_range(r["lo"], r["hi"]), fmt_count(r["median"])]
            for _, r in numbers.iterrows()]


def summary_head() -> list[str]:
    return ["", tr("col.mean_per_replicate"), tr("col.interval90"), tr("col.median")]


@dataclass
class FileReport:
    """What one input file contributes: headline sentences, body HTML and plotted numbers."""
    path: Path
    kind: str
    headlines: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)
    anchor: str = "f"  # prefix of HTML ids, unique per file in the report

    def section(self, key: str, title: str, build):
        """Add a titled section; a missing dataset becomes a short note instead of a failure."""
        self.body.append(f'<section id="{esc(self.anchor)}-{key}" data-section="{key}"><h3>{esc(title)}</h3>')
        try:
            build()
        except MissingData as e:
            self.body.append(f'<p class="note">{esc(tr("section_omitted", reason=e))}</p>')
            self.numbers.setdefault("omitted", []).append(key)
        self.body.append("</section>")

    def note(self, key: str, title: str, text: str):
        self.body.append(f'<section id="{esc(self.anchor)}-{key}" data-section="{key}"><h3>{esc(title)}</h3>'
                         f'<p class="note">{esc(text)}</p></section>')
        self.numbers.setdefault("omitted", []).append(key)


def _plot_section(rep: FileReport, key: str, fn, alt: str, caption: str, rows=None):
    """Draw one plot, keep its numbers, and add a collapsible table of them when given."""
    fig, numbers = fn()
    rep.numbers[key] = numbers
    rep.body.append(figure_html(fig, alt, caption))
    if rows is not None:
        headers, body = rows(numbers)
        rep.body.append(f"<details><summary>{esc(tr('numbers'))}</summary>{table(headers, body)}</details>")


#: Long texts in /metadata, shown folded under the provenance table instead of in it.
TEXTS = ("sweep_text", "calibration_text", "scenario_text")


def _metadata_section(rep: FileReport, md: dict):
    rows = [[k, v] for k, v in md.items() if k not in TEXTS]
    rep.body.append(f'<section data-section="metadata"><h3>{esc(tr("provenance"))}</h3>'
                    f'{table([tr("col.attribute"), tr("col.value")], rows, 9)}')
    for key in TEXTS:
        if md.get(key):
            title = {"sweep_text": tr("text.sweep_text"), "calibration_text": tr("text.calibration_text"),
                     "scenario_text": tr("text.scenario_text")}[key]
            rep.body.append(f"<details><summary>{esc(title)}</summary><pre>{esc(md[key])}</pre></details>")
    rep.body.append("</section>")


# ---- run files ----

def run_report(f, rep: FileReport):
    """Sections of a `redes run` file."""
    require_group(f, "/summary", RUN_WHY)
    md = metadata(f)
    victims = per_replicate(f, "/summary/victims")["value"].to_numpy()
    med, lo, hi = quantiles(victims)
    rep.numbers["headline"] = {"median": med, "lo": lo, "hi": hi, "n": len(victims), "total": victims.sum()}
    rep.headlines.append(victims_sentence(victims, md))
    try:
        by_route = per_replicate(f, "/summary/victims_by_route", "route")
        parts = []
        for route in by_route.columns:
            m, l, h = quantiles(by_route[route])
            parts.append(f"{plots.pretty(route)} {fmt_count(m)} ({fmt_range(l, h)})")
        rep.headlines.append(tr("by_route", parts="; ".join(parts)))
    except MissingData:
        pass
    if "/observed/hidden_ratio" in f:
        ratio = per_replicate(f, "/observed/hidden_ratio")["value"].to_numpy(dtype=float)
        hidden = np.where(ratio > 0, 1 - 1 / np.where(ratio > 0, ratio, 1), np.nan)
        rm, rl, rh = quantiles(ratio)
        hm, hl, hh = quantiles(hidden)
        rep.numbers["hidden"] = {"ratio": (rm, rl, rh), "share": (hm, hl, hh)}
        rep.headlines.append(tr("hidden", ratio=f"{rm:.1f}", lo=f"{rl:.1f}", hi=f"{rh:.1f}", share=fmt_pct(hm),
                               share_lo=fmt_pct(hl), share_hi=fmt_pct(hh)))

    n = len(victims)
    rep.section("trajectories", tr("trajectories.title"), lambda: _plot_section(
        rep, "trajectories", lambda: plots.stage_trajectories(f), tr("trajectories.alt"),
        tr("trajectories.caption", n=n)))
    rep.section("funnel", tr("funnel.title"), lambda: _plot_section(
        rep, "funnel", lambda: plots.funnel_by_route(f), tr("funnel.alt"), tr("funnel.caption"),
        lambda d: ([tr("col.route"), tr("col.started_mean"), tr("col.recruited_mean"), tr("col.recruited_interval"),
                    tr("col.recruited_per_started")],
                   [[plots.pretty(r.route), fmt_count(r.started_mean), fmt_count(r.recruited_mean),
                     fmt_range(r.recruited_lo, r.recruited_hi), fmt_pct(r.conversion)] for r in d.itertuples()])))
    for dim, title in (("platform", tr("victims_by.platform")), ("department", tr("victims_by.department")),
                       ("exploitation", tr("victims_by.exploitation")),
                       ("destination", tr("victims_by.destination")),
                       ("means", tr("victims_by.means"))):
        rep.section(f"victims_by_{dim}", title, lambda dim=dim, title=title: _plot_section(
            rep, f"victims_by_{dim}", lambda: plots.victims_by(f, dim),
            tr("victims_by.alt", title=title.lower()), tr("victims_by.caption", title=title),
            lambda d: ([plots.pretty(dim)] + summary_head()[1:], summary_rows(d, dim))))
    rep.section("age_gender", tr("age_gender.title"), lambda: _plot_section(
        rep, "age_gender", lambda: plots.victims_by_age_gender(f), tr("age_gender.alt"), tr("age_gender.caption"),
        lambda d: ([tr("col.group")] + summary_head()[1:],
                   summary_rows(d["age_group"], "age_group") + summary_rows(d["gender"], "gender"))))

    if "/observed" in f:
        rep.section("observed", tr("observed.title"), lambda: _observed(f, rep))
    else:
        rep.note("observed", tr("observed.title"), tr("observed.missing"))
    if "/interventions" in f:
        rep.section("interventions", tr("interventions.title"), lambda: _interventions(f, rep))
    else:
        rep.note("interventions", tr("interventions.title"), tr("interventions.missing"))
    if "/events" in f:
        rep.section("events", tr("events.title"), lambda: _events(f, rep, n))
    else:
        rep.note("events", tr("events.title"), tr("events.missing"))
    _metadata_section(rep, md)


def _observed(f, rep: FileReport):
    _plot_section(rep, "observed", lambda: plots.observed_by_year(f), tr("observed.alt"), tr("observed.caption"),
                  lambda d: ([tr("col.year"), tr("col.true_mean"), tr("col.true_interval"), tr("col.recorded_mean"),
                              tr("col.recorded_interval"), tr("col.hidden_share")],
                             [[r.year, fmt_count(r.true_mean), fmt_range(r.true_lo, r.true_hi),
                               fmt_count(r.recorded_mean), fmt_range(r.recorded_lo, r.recorded_hi),
                               fmt_pct(r.hidden_share)] for r in d.itertuples()]))
    if "/observed/recorded_cases" in f:
        s = summarise(per_replicate(f, "/observed/recorded_cases", "institution"))
        rep.numbers["recorded_by_institution"] = s
        rep.body.append(f"<p>{esc(tr('recorded_by_institution'))}</p>"
                        + table([tr("col.institution")] + summary_head()[1:], summary_rows(s.rename_axis("institution")
                                                                                  .reset_index(), "institution")))


def _interventions(f, rep: FileReport):
    reach = summarise(per_replicate(f, "/interventions/reach", "intervention"))
    cost = summarise(per_replicate(f, "/interventions/cost", "intervention")).reindex(reach.index)
    types = split_list(attrs(f["/interventions"]).get("types"))
    rows = []
    for i, name in enumerate(reach.index):
        rows.append([plots.pretty(name), types[i] if len(types) == len(reach) else "",
                     fmt_count(reach["mean"][name]), fmt_usd(cost["mean"][name]),
                     f"{fmt_usd(cost['lo'][name])}–{fmt_usd(cost['hi'][name])}"])
    rep.numbers["interventions"] = {"reach": reach, "cost": cost}
    rep.body.append(table([tr("col.intervention"), tr("col.type"), tr("col.reach"), tr("col.cost_mean"),
                           tr("col.cost_interval")], rows, 2))
    if types and len(types) != len(reach):
        rep.body.append(f"<p>{esc(tr('intervention_types', types=', '.join(types)))}</p>")


def _events(f, rep: FileReport, replicates: int):
    """Counts of logged transitions by stage entered; ids are never shown."""
    ds = f["/events"]
    labels = split_list(attrs(ds).get("stage_labels"))
    if not labels and "/labels/transition" in f:
        labels = [str(x) for x in f["/labels/transition"].asstr()[()]]
    counts = np.zeros(max(len(labels), 1), dtype=np.int64)
    step = 1 << 20
    for s in range(0, ds.shape[0], step):
        to = np.asarray(ds.fields("to")[s:s + step], dtype=np.int64)
        c = np.bincount(to, minlength=len(counts))
        if len(c) > len(counts):
            counts = np.pad(counts, (0, len(c) - len(counts)))
        counts += c
    names = [labels[i] if i < len(labels) else tr("events.code", i=i) for i in range(len(counts))]
    rep.numbers["events"] = pd.Series(counts, index=names)
    rows = [[plots.pretty(n), f"{c:,}", fmt_count(c / max(replicates, 1))] for n, c in zip(names, counts) if c]
    rep.body.append(f"<p>{esc(tr('events.text', n=f'{ds.shape[0]:,}', replicates=replicates))}</p>"
                    + table([tr("col.stage_entered"), tr("col.events"), tr("col.per_replicate")], rows))


# ---- compare files ----

def _by_intervention(f, key: str) -> pd.Series:
    arr, ax = labelled(f, f"/compare/{key}", ["intervention"])
    return pd.Series(arr.astype(float), index=list(ax[0][1]))


def intervention_sentence(name: str, mean, lo, hi, share, cpva) -> str:
    """'Digital literacy averts an estimated 85 victims (95% interval 40–130), 7% of the
    baseline, at USD 1,200 per victim averted (model estimate).'"""
    label = plots.pretty(name).capitalize()
    noun = tr("victim") if fmt_count(mean) == "1" else tr("victims")
    if not mean > 0:
        return tr("averts.none", name=label, mean=fmt_count(mean), range=fmt_range(lo, hi))
    tail = (tr("averts.cost", cost=fmt_usd(cpva)) if math.isfinite(cpva) else tr("averts.no_cost"))
    sentence = tr("averts", name=label, mean=fmt_count(mean), noun=noun, range=fmt_range(lo, hi),
                 share=fmt_pct(share), tail=tail)
    if not lo > 0:
        # An interval that reaches zero cannot tell the effect from none: say so next to the cost.
        sentence += tr("averts.zero")
    return sentence


def compare_report(f, rep: FileReport):
    """Sections of a `redes compare` file."""
    md = metadata(f)
    arms = split_list(md.get("arms"))
    require_group(f, "/compare", "it is not a complete redes compare file")
    if not arms:
        raise ReportError(f"file {f.filename} has no 'arms' attribute on /metadata: it is not a "
                          "complete redes compare file")
    baseline = arms[0]
    require_group(f, f"/arms/{baseline}/summary", RUN_WHY)
    victims = per_replicate(f, f"/arms/{baseline}/summary/victims")["value"].to_numpy()
    med, lo, hi = quantiles(victims)
    rep.numbers["headline"] = {"median": med, "lo": lo, "hi": hi, "n": len(victims), "total": victims.sum()}
    who = tr("baseline") if baseline == "baseline" else tr("baseline.named", name=plots.pretty(baseline))
    rep.headlines.append(victims_sentence(victims, md, tr("baseline.prefix", who=who)))

    t = pd.DataFrame({k: _by_intervention(f, k) for k in ("averted_mean", "averted_lo", "averted_hi")})
    for k in ("share_averted_mean", "share_averted_lo", "share_averted_hi", "cost", "cost_per_victim_averted"):
        try:
            t[k] = _by_intervention(f, k)
        except MissingData:
            t[k] = np.nan
    rep.numbers["compare"] = t
    for name, r in t.iterrows():
        rep.headlines.append(intervention_sentence(name, r.averted_mean, r.averted_lo, r.averted_hi,
                                                   r.share_averted_mean, r.cost_per_victim_averted))

    def overview():
        rows = [[plots.pretty(n), fmt_count(r.averted_mean), fmt_range(r.averted_lo, r.averted_hi),
                 tr("share_range", share=fmt_pct(r.share_averted_mean), lo=fmt_pct(r.share_averted_lo),
                   hi=fmt_pct(r.share_averted_hi)),
                 fmt_usd(r.cost), fmt_usd(r.cost_per_victim_averted)] for n, r in t.iterrows()]
        rep.body.append(f"<p>{esc(tr('compare.text'))}</p>"
                        + table([tr("col.intervention"), tr("col.victims_averted"), tr("col.interval95"),
                                 tr("col.share_of_baseline"), tr("col.cost"), tr("col.cost_per_averted")], rows))
    rep.section("compare_table", tr("compare.title"), overview)
    rep.section("forest", tr("forest.title"), lambda: _plot_section(
        rep, "forest", lambda: plots.forest(f), tr("forest.alt"), tr("forest.caption")))
    rep.section("benefits", tr("benefits.title"), lambda: _benefits(f, rep))
    rep.section("cost_effectiveness", tr("ce.title"), lambda: _plot_section(
        rep, "cost_effectiveness", lambda: plots.cost_effectiveness(f), tr("ce.alt"), tr("ce.caption")))
    rep.section("cumulative", tr("cumulative.title"), lambda: _plot_section(
        rep, "cumulative", lambda: plots.cumulative_by_arm(f, arms), tr("cumulative.alt"), tr("cumulative.caption")))
    for dim in ("department", "age_group", "gender", "route", "platform"):
        rep.section(f"averted_by_{dim}", tr("who_benefits", dim=plots.pretty(dim)),
                    lambda dim=dim: _averted_by(f, rep, dim))
    _metadata_section(rep, md)


BENEFIT_KEYS = ("exploited_days_averted_mean", "exploited_days_averted_lo", "exploited_days_averted_hi",
                "rescued_more_mean", "rescued_more_lo", "rescued_more_hi", "cost_per_exploited_year_averted",
                "cost_per_victim_averted")


def benefit_sentence(name: str, days, lo, hi, rescued, rlo, rhi, cpy) -> str:
    """'Enforcement capacity averts an estimated 1,200 exploited person-days (95% interval ...) and
    rescues 3 more victims (95% interval ...), at USD 900 per exploited person-year averted (model estimate).'"""
    label = plots.pretty(name).capitalize()
    cost = tr("benefit.cost", cost=fmt_usd(cpy)) if math.isfinite(cpy) else ""
    return tr("benefit", name=label, days=fmt_count(days), range=fmt_range(lo, hi), rescued=fmt_count(rescued),
             rescued_range=fmt_range(rlo, rhi), cost=cost)


def _benefits(f, rep: FileReport):
    """Rescue and shorter exploitation: outcomes that victims averted do not credit."""
    t = pd.DataFrame({k: _by_intervention(f, k) for k in BENEFIT_KEYS})
    rep.numbers["benefits"] = t
    for name, r in t.iterrows():
        rep.headlines.append(benefit_sentence(name, r.exploited_days_averted_mean, r.exploited_days_averted_lo,
                                              r.exploited_days_averted_hi, r.rescued_more_mean, r.rescued_more_lo,
                                              r.rescued_more_hi, r.cost_per_exploited_year_averted))
    rows = [[plots.pretty(n), fmt_count(r.exploited_days_averted_mean),
             fmt_range(r.exploited_days_averted_lo, r.exploited_days_averted_hi), fmt_count(r.rescued_more_mean),
             fmt_range(r.rescued_more_lo, r.rescued_more_hi), fmt_usd(r.cost_per_victim_averted),
             fmt_usd(r.cost_per_exploited_year_averted)] for n, r in t.iterrows()]
    rep.body.append(f"<p>{esc(tr('benefits.text'))}</p>"
                    + table([tr("col.intervention"), tr("col.days_averted"), tr("col.interval95"), tr("col.extra_rescued"),
                             tr("col.interval95"), tr("col.cost_per_averted"), tr("col.cost_per_year")], rows))
    _plot_section(rep, "benefits_plot", lambda: plots.benefits(f), tr("benefits.alt"), tr("benefits.caption"))


def _averted_by(f, rep: FileReport, dim: str):
    parts = {}
    for k in ("mean", "lo", "hi"):
        arr, ax = labelled(f, f"/compare/averted_by_{dim}_{k}", ["intervention", dim])
        parts[k] = pd.DataFrame(arr.astype(float), index=list(ax[0][1]), columns=list(ax[1][1]))
    m = parts["mean"]
    rep.numbers[f"averted_by_{dim}"] = parts
    rows = [[plots.pretty(c)] + [f"{fmt_count(m.at[i, c])} ({fmt_range(parts['lo'].at[i, c], parts['hi'].at[i, c])})"
                                 for i in m.index] for c in m.columns]
    rep.body.append(f"<p>{esc(tr('averted_by.text'))}</p>"
                    + table([plots.pretty(dim)] + [plots.pretty(i) for i in m.index], rows))


# ---- sweep files ----


def design_name(design: str) -> str:
    names = {"saltelli": tr("design.saltelli"), "grid": tr("design.grid"), "latin_hypercube": tr("design.lhs")}
    return names.get(design, tr("design.other", design=design))


def plural(n: int, one: str, many: str) -> str:
    """Count and noun from two catalogue texts ('{n} run', '{n} runs')."""
    return (one if n == 1 else many).format(n=f"{n:,}")


def fmt_value(x) -> str:
    """A parameter value: three significant digits, thousands separators from 1,000."""
    x = float(x)
    if not math.isfinite(x):
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def fmt_index(x) -> str:
    x = float(x)
    return "n/a" if not math.isfinite(x) else f"{x:.2f}"


def fmt_index_range(lo, hi) -> str:
    """Interval of an index: '0.11–1.89', or '-0.26 to 0.25' when a bound is negative."""
    sep = tr("range_to") if min(float(lo), float(hi)) < 0 else "–"
    return f"{fmt_index(lo)}{sep}{fmt_index(hi)}"


def sweep_design_sentence(s) -> str:
    """Headline: design, points x replicates, and whether every run is in the file."""
    samples = tr("sweep.samples", n=s.samples) if s.design == "saltelli" and s.samples else ""
    name = tr("sweep.named", name=s.name) if s.name else tr("sweep.this")
    head = tr("sweep.head", name=name, design=design_name(s.design), samples=samples,
              parameters=plural(len(s.parameters), tr('n.parameter'), tr('n.parameters')), points=f"{s.points:,}",
              replicates=plural(s.replicates, tr("n.replicate"), tr("n.replicates")),
              runs=plural(s.n_runs, tr("n.run"), tr("n.runs")))
    if s.complete:
        return head + tr("sweep.complete", n=f"{s.n_runs:,}")
    part = str(s.metadata.get("part") or "")
    where = f" ({part})" if part and part != "whole sweep" else ""
    return head + tr("sweep.incomplete", done=f"{s.runs_completed:,}", n=f"{s.n_runs:,}", where=where,
                     missing=f"{s.n_runs - s.runs_completed:,}", at=f"{len(s.missing_points):,}", points=f"{s.points:,}")


def sobol_sentence(sens: pd.DataFrame, output: str) -> str:
    """Headline: parameters ranked by total index for one output, with 95% intervals."""
    t = sens[sens["output"] == output].sort_values("total", ascending=False)
    parts = [f"{r.parameter} {fmt_index(r.total)} ({fmt_index_range(r.total_lo, r.total_hi)})"
             for r in t.itertuples()]
    return tr("sobol.sentence", output=plots.pretty(output), parts="; ".join(parts))


def unstable_indices(sens: pd.DataFrame) -> bool:
    """Indices clearly outside [0, 1] or intervals wider than 0.5: too few samples for stable estimates."""
    vals = sens[["first", "total"]].to_numpy(dtype=float)
    width = np.concatenate([(sens["first_hi"] - sens["first_lo"]).to_numpy(dtype=float),
                            (sens["total_hi"] - sens["total_lo"]).to_numpy(dtype=float)])
    return bool(np.any(vals < -0.05) or np.any(vals > 1.05) or np.any(width > 0.5))


def sweep_report(f, rep: FileReport):
    """Sections of a `redes sweep` file."""
    s = load_sweep(f)
    md = s.metadata
    rep.numbers["sweep"] = s
    rep.numbers["headline"] = {"complete": s.complete, "runs": s.n_runs, "runs_completed": s.runs_completed,
                               "points": s.points, "replicates": s.replicates}
    rep.headlines.append(sweep_design_sentence(s))
    if "victims" in s.metrics:
        v = s.point_mean["victims"].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        if len(v):
            med, lo, hi = quantiles(v)
            rep.numbers["headline"].update(victims_median=med, victims_lo=lo, victims_hi=hi,
                                           victims_min=float(v.min()), victims_max=float(v.max()))
            rep.headlines.append(
                tr("sweep.victims", horizon=horizon(md), min=fmt_count(v.min()), max=fmt_count(v.max()),
                   median=fmt_count(med), n=f"{len(v):,}", range=fmt_range(lo, hi)) + scale_note(md))
    show_indices = s.design == "saltelli" and s.complete and s.sensitivity is not None
    if show_indices:
        for out in s.outputs():
            rep.headlines.append(sobol_sentence(s.sensitivity, out))
        if unstable_indices(s.sensitivity):
            rep.headlines.append(tr("sobol.unstable", samples=s.samples or tr("sobol.these")))

    rep.section("sweep_design", tr("sweep.design_title"), lambda: _sweep_design(s, rep))
    if show_indices:
        rep.section("sobol", tr("sobol.title"), lambda: _sobol(s, rep))
    elif s.design != "saltelli":
        rep.note("sobol", tr("sobol.title"), tr("sobol.not_saltelli", design=design_name(s.design)))
    elif not s.complete:
        rep.note("sobol", tr("sobol.title"), tr("sobol.incomplete", done=f"{s.runs_completed:,}", n=f"{s.n_runs:,}"))
    else:
        rep.note("sobol", tr("sobol.title"), tr("sobol.missing"))
    if "victims" in s.metrics:
        rep.section("sweep_scatter", tr("scatter.title"), lambda: _plot_section(
            rep, "sweep_scatter", lambda: plots.sweep_scatter(s, "victims"), tr("scatter.alt"),
            tr("scatter.caption", replicates=plural(s.replicates, tr("n.replicate"), tr("n.replicates")),
               grey=tr("scatter.grey") if s.replicates > 1 else ""),
            lambda d: ([tr("col.point")] + s.parameters + [tr("col.recruited_point"), tr("col.runs")],
                       [[int(r["point"])] + [fmt_value(r[p]) for p in s.parameters]
                        + [fmt_count(r["victims"]), int(r["runs"])] for _, r in d.iterrows()])))
    else:
        rep.note("sweep_scatter", tr("scatter.title"), tr("scatter.missing"))
    _metadata_section(rep, md)


def _sweep_design(s, rep: FileReport):
    rows = []
    for p in s.parameters:
        v = s.design_values[p]
        rows.append([p, fmt_value(v.min()), fmt_value(v.max()), f"{v.nunique():,}"])
    crn = s.metadata.get("common_random_numbers")
    crn_text = "" if crn is None else tr("sweep.crn") if int(crn) else tr("sweep.no_crn")
    rep.body.append(f"<p>{esc(sweep_design_sentence(s))}{esc(crn_text)}</p>"
                    + table([tr("col.parameter"), tr("col.lowest"), tr("col.highest"), tr("col.distinct")], rows))
    if not s.complete:
        missing = s.runs[~s.runs["completed"]].groupby("point").size()
        shown = missing.iloc[:20]
        mrows = [[int(p)] + [fmt_value(s.design_values.at[p, q]) for q in s.parameters] + [int(n)]
                 for p, n in shown.items()]
        more = tr("sweep.first20", n=f"{len(missing):,}") if len(missing) > 20 else ""
        rep.body.append(f'<p class="note">{esc(tr("sweep.missing_runs", missing=f"{s.n_runs - s.runs_completed:,}", n=f"{s.n_runs:,}", more=more))}</p>'
                        + table([tr("col.point")] + s.parameters + [tr("col.runs_missing")], mrows))
        rep.numbers["missing_points"] = list(missing.index)


def _sobol(s, rep: FileReport):
    sens = s.sensitivity
    rep.body.append(f'<p class="limits">{tr("sweep.caveat")}</p>')
    method = s.sensitivity_attrs.get("method")
    if method:
        boot = s.sensitivity_attrs.get("bootstrap")
        rep.body.append(f"<p>{esc(tr('sobol.method', method=method, boot=tr('sobol.boot', n=f'{int(boot):,}') if boot else ''))}</p>")
    rows = [[plots.pretty(r.output), r.parameter, fmt_index(r.first), fmt_index_range(r.first_lo, r.first_hi),
             fmt_index(r.total), fmt_index_range(r.total_lo, r.total_hi), f"{r.variance:,.4g}"]
            for r in sens.itertuples()]
    rep.body.append('<div data-table="sobol">' + table(
        [tr("col.output"), tr("col.parameter"), tr("col.first"), tr("col.interval95"), tr("col.total"),
         tr("col.interval95"), tr("col.variance")], rows, 2) + "</div>")
    if unstable_indices(sens):
        rep.body.append(f'<p class="note">{tr("sobol.unstable_note")}</p>')
    _plot_section(rep, "sobol", lambda: plots.sobol_indices(s), tr("sobol.alt"), tr("sobol.caption"))


# ---- calibration files ----



def calibration_victims_sentence(cal, md: dict) -> str:
    h, t = cal.victims.loc["hidden"], cal.victims.loc["true"]
    return tr("cal.victims", hidden=fmt_count(h['median']), horizon=horizon(md), range=fmt_range(h['q05'], h['q95']),
              true=fmt_count(t['median']), true_range=fmt_range(t['q05'], t['q95'])) + _represents_note(md)


def _represents_note(md: dict) -> str:
    agents, represents = md.get("agents"), md.get("represents")
    if agents and represents and abs(float(represents) / float(agents) - 1) > 1e-9:
        return tr("cal.represents", n=f"{float(represents):,.0f}")
    return ""


def fit_inside(fit: pd.DataFrame) -> pd.Series:
    """Whether each observed value lies inside the model's 90% interval."""
    return (fit["observed"] >= fit["model_q05"]) & (fit["observed"] <= fit["model_q95"])


def interval_share(cal, p: str) -> float:
    """Width of the 90% posterior interval as a share of the prior range (log scale for wide priors)."""
    r = cal.summary.loc[p]
    g = np.log if log_scaled(cal, p) else (lambda x: x)
    span = g(r["prior_max"]) - g(r["prior_min"])
    return float((g(r["q95"]) - g(r["q05"])) / span) if span > 0 else float("nan")


def calibration_report(f, rep: FileReport):
    """Sections of a `redes calibrate` file."""
    cal = load_calibration(f)
    md = cal.metadata
    rep.numbers["calibration"] = cal
    h = cal.victims.loc["hidden"]
    rep.numbers["headline"] = {"hidden": tuple(h), "true": tuple(cal.victims.loc["true"])}
    rep.headlines.append(calibration_victims_sentence(cal, md))
    targets = list(dict.fromkeys(cal.fit["target"]))
    gens = len(cal.generations)
    sims = cal.simulations if cal.simulations is not None else int(cal.generations["simulations"].sum())
    rep.headlines.append(tr(
        "cal.headline", name=cal.name, parameters=plural(len(cal.parameters), tr("n.parameter"), tr("n.parameters")),
        targets=plural(len(cal.fit), tr("n.target_value"), tr("n.target_values")), names=", ".join(targets),
        sims=f"{sims:,}", generations=plural(max(gens - 1, 0), tr("n.smc_generation"), tr("n.smc_generations")),
        stop=cal.stop_reason or tr("cal.not_recorded")))
    inside = fit_inside(cal.fit)
    misses = [tp for tp, ok in inside.items() if not ok]
    rep.numbers["fit_inside"] = int(inside.sum())
    rep.headlines.append(tr("cal.fit", inside=int(inside.sum()), n=len(inside))
                         + (tr("cal.misses", names=", ".join(misses[:3]), others=tr("cal.others") if len(misses) > 3 else "")
                            if misses else "."))
    if len(cal.parameters) >= 2:
        a, b = cal.parameters[:2]
        r = posterior_correlation(cal, a, b)
        rep.numbers["correlation"] = r
        if math.isfinite(r) and abs(r) >= 0.5:
            rep.headlines.append(tr("cal.ridge", a=a, b=b, r=f"{r:+.2f}",
                                    particles=plural(len(cal.posterior), tr("n.particle"), tr("n.particles"))))

    rep.body.append(f'<p class="limits">{tr("cal.caveat")}</p>')
    rep.section("posterior", tr("cal.posterior_title"), lambda: _posterior_table(cal, rep))
    rep.section("hidden", tr("cal.hidden_title"), lambda: _hidden_table(cal, rep, md))
    rep.section("fit", tr("cal.fit_title"), lambda: _fit(cal, rep))
    if len(cal.parameters) >= 2:
        a, b = cal.parameters[:2]
        rep.section("particles", tr("cal.particles_title"), lambda: _plot_section(
            rep, "particles", lambda: plots.posterior_particles(cal, a, b), tr("cal.particles_alt", a=a, b=b),
            tr("cal.particles_caption")))
    else:
        rep.note("particles", tr("cal.particles_title"), tr("cal.one_parameter"))
    rep.section("diagnostics", tr("cal.diagnostics_title"), lambda: _diagnostics(cal, rep))
    _metadata_section(rep, md)


def _posterior_table(cal, rep: FileReport):
    rows = []
    for p in cal.parameters:
        r = cal.summary.loc[p]
        share = interval_share(cal, p)
        rows.append([p, tr("cal.range", lo=fmt_value(r['prior_min']), hi=fmt_value(r['prior_max'])), fmt_value(r["median"]),
                     tr("cal.range", lo=fmt_value(r['q05']), hi=fmt_value(r['q95'])),
                     fmt_pct(share) + (tr("cal.log_scale") if log_scaled(cal, p) else "")])
    rep.numbers["posterior"] = cal.summary
    rep.body.append(f"<p>{tr('cal.posterior_text')}</p>"
                    + '<div data-table="posterior">' + table(
                        [tr("cal.col_parameter"), tr("cal.col_prior_range"), tr("cal.col_posterior_median"),
                         tr("cal.col_interval90"), tr("cal.col_interval_share")],
                        rows) + "</div>")


def _hidden_table(cal, rep: FileReport, md: dict):
    rec = cal.weighted_interval("recorded_victims")
    rows = [[tr("cal.row_true"), fmt_count(cal.victims.at["true", "median"]),
             fmt_range(cal.victims.at["true", "q05"], cal.victims.at["true", "q95"])],
            [tr("cal.row_recorded"), fmt_count(rec[0]), fmt_range(rec[1], rec[2])],
            [tr("cal.row_hidden"), fmt_count(cal.victims.at["hidden", "median"]),
             fmt_range(cal.victims.at["hidden", "q05"], cal.victims.at["hidden", "q95"])]]
    rep.numbers["recorded"] = rec
    rep.body.append(f"<p>{tr('cal.hidden_text', horizon=esc(horizon(md)))}{esc(_represents_note(md))}</p>"
                    + table(["", tr("cal.col_median_estimate"), tr("cal.col_interval90")], rows))


def left_out_off(r) -> str:
    """How far a left-out prediction is from the record, in the terms it is judged by (a factor for
    counts, points for shares), with the median's Monte Carlo range and the share of the predictive
    distribution at least as far out as the record; empty when the file lacks the range."""
    if r.fitted or not (math.isfinite(r.median_mc_q05) and math.isfinite(r.median_mc_q95)):
        return ""
    direction = tr("cal.low") if r.model_median < r.observed else tr("cal.high")
    mc = dict(lo=fmt_value(r.median_mc_q05), hi=fmt_value(r.median_mc_q95))
    if r.share:
        off = tr("cal.off_points", off=f"{abs(r.model_median - r.observed):.1f}", dir=direction, **mc)
    else:
        lo, hi = sorted((r.model_median, r.observed))
        off = tr("cal.off_factor", off=f"{hi / max(lo, 1e-9):.2f}", dir=direction, **mc)
    tail = float(getattr(r, "tail_probability", float("nan")))
    if not math.isfinite(tail):
        return off
    if r.observed >= r.model_median:
        return off + tr("cal.tail_above", observed=fmt_value(r.observed), p=f"{tail:.2f}")
    return off + tr("cal.tail_below", observed=fmt_value(r.observed), p=f"{tail:.2f}")


def _fit(cal, rep: FileReport):
    inside = fit_inside(cal.fit)
    rows = [[r.target, tp, str(r.unit), fmt_value(r.observed), fmt_value(r.model_median),
             tr("cal.range", lo=fmt_value(r.model_q05), hi=fmt_value(r.model_q95)),
             tr("cal.yes") if inside[tp] else tr("cal.no"),
             (tr("cal.fitted") if r.fitted else tr("cal.left_out")) + left_out_off(r)
             + ("" if r.reachable else tr("cal.unreached"))]
            for tp, r in cal.fit.iterrows()]
    rep.body.append(f"<p>{tr('cal.fit_text')}</p>"
                    + '<div data-table="fit">' + table(
                        [tr("cal.col_target"), tr("cal.col_target_point"), tr("cal.col_unit"), tr("cal.col_observed"),
                         tr("cal.col_model_median"), tr("cal.col_model_interval"), tr("cal.col_inside"), tr("cal.col_role")],
                        rows, 2) + "</div>")
    hm = cal.history_matching
    if hm is not None and len(hm):
        hrows = [[str(w), f"{int(r.simulations):,}", fmt_pct(r.nonimplausible_fraction), fmt_pct(r.space_fraction),
                  f"{int(r.emulators)}", fmt_pct(r.loo_coverage), f"{r.loo_max_abs_z:.1f}"] for w, r in hm.iterrows()]
        rep.body.append(f"<p>{tr('cal.hm_text')}</p>"
                        + '<div data-table="history_matching">' + table(
                            [tr("cal.col_wave"), tr("cal.col_simulations"), tr("cal.col_nonimplausible"),
                             tr("cal.col_prior_box"), tr("cal.col_emulators"), tr("cal.col_loo"), tr("cal.col_max_z")],
                            hrows) + "</div>")
    _plot_section(rep, "fit", lambda: plots.calibration_fit(cal), tr("cal.fit_alt"), tr("cal.fit_caption"))


def _diagnostics(cal, rep: FileReport):
    g = cal.generations
    n = int(g["particles"].max()) if len(g) else 0
    rows = [[f"{int(i)}" + (tr("cal.rejection") if k == 0 else ""), f"{r.epsilon:.4g}", f"{r.simulations:,.0f}",
             fmt_pct(r.acceptance), f"{r.ess:.1f}", f"{int(r.particles):,}"] for k, (i, r) in enumerate(g.iterrows())]
    # The method and the stop reason are the calibration's own words, stored in the file.
    rep.body.append(f"<p>{tr('cal.diagnostics_text', method=esc(cal.method or tr('cal.no_method')), stop=esc(cal.stop_reason or tr('cal.not_recorded')))}</p>"
                    + '<div data-table="diagnostics">' + table(
                        [tr("cal.col_generation"), tr("cal.col_tolerance"), tr("cal.col_simulations"),
                         tr("cal.col_acceptance"), tr("cal.col_ess"), tr("cal.col_particles")], rows) + "</div>")
    if len(g) and n and g["ess"].iloc[-1] < 0.5 * n:
        ess = f"{g['ess'].iloc[-1]:.1f}"
        rep.body.append(f'<p class="note">{tr("cal.low_ess", ess=ess, n=n)}</p>')
    rep.numbers["diagnostics"] = g


# ---- whole report ----

def input_files(path) -> list[Path]:
    """A file, or every *.h5 in a directory (sorted)."""
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.h5"))
        if not files:
            raise ReportError(f"directory {p} has no *.h5 files")
        return files
    if not p.exists():
        raise ReportError(f"file {p} does not exist")
    return [p]


def file_report(path: Path, index: int) -> FileReport:
    """Open one file, detect its kind and build its sections."""
    with open_h5(path) as f:
        rep = FileReport(path=path, kind=kind(f), anchor=f"f{index}")
        if rep.kind == "run":
            run_report(f, rep)
        elif rep.kind == "compare":
            compare_report(f, rep)
        elif rep.kind == "sweep":
            sweep_report(f, rep)
        elif rep.kind == "calibration":
            calibration_report(f, rep)
        else:
            text = tr("unknown_kind", name=path.name, kind=rep.kind)
            rep.headlines.append(text)
            rep.body.append(f'<p class="note">{esc(text)}</p>')
            _metadata_section(rep, metadata(f))
    return rep


def render(paths: list[Path]) -> tuple[str, list[FileReport]]:
    """Build the HTML for all files; returns it with the per-file numbers (used by tests)."""
    reports = [file_report(Path(p), i + 1) for i, p in enumerate(paths)]
    generated = tr("generated", date=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
                  files=", ".join(r.path.name for r in reports))
    out = ["<!DOCTYPE html>", f'<html lang="{language()}"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(tr('title'))}</title><style>{CSS}</style></head><body>",
           f"<h1>{esc(tr('title'))}</h1>",
           f'<p class="meta">{esc(generated)}</p>',
           f'<section id="headlines"><h2>{esc(tr("headlines"))}</h2>']
    for r in reports:
        if len(reports) > 1:
            out.append(f"<h3>{esc(r.path.name)} ({esc(r.kind)})</h3>")
        out.append('<ul class="headline">' + "".join(f"<li>{esc(s)}</li>" for s in r.headlines) + "</ul>")
    out.append(f'</section><section id="limits"><p class="limits">{tr("limits")}</p></section>')
    for r in reports:
        out.append(f'<section id="{r.anchor}" class="file"><h2>{esc(tr("file_heading", name=r.path.name, kind=r.kind))}</h2>')
        out.extend(r.body)
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out), reports


def write_atomic(path, text: str) -> Path:
    """Write to a temporary file beside `path`, then rename: no half-written report."""
    target = Path(path).resolve()
    if not target.parent.is_dir():
        raise ReportError(f"output directory {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m analysis.report",
                                     description="Write one self-contained HTML report from redes HDF5 files.")
    parser.add_argument("path", help="a redes .h5 file, or a directory of them")
    parser.add_argument("-o", "--output", default="report.html", help="HTML file to write (default: report.html)")
    parser.add_argument("--lang", choices=["es", "en"], default=language_from_environment(),
                        help="language of the report (default: es when LC_ALL, LC_MESSAGES or LANG starts with es, else en)")
    args = parser.parse_args(argv)
    previous = language()
    set_language(args.lang)
    try:
        return _write_report(args)
    finally:
        set_language(previous)  # main() may be called in-process (tests): leave the language as found


def _write_report(args) -> int:
    try:
        files = input_files(args.path)
        out_path = Path(args.output)
        for f in files:  # the report must never replace one of its inputs
            if out_path.exists() and (out_path.resolve() == f.resolve() or os.path.samefile(out_path, f)):
                raise ReportError(f"the output {args.output} is the input {f}; writing it would destroy the input: "
                                  "choose another output name (-o)")
        text, _ = render(files)
        out = write_atomic(args.output, text)
    except ReportError as e:
        print(f"report: error: {e}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as e:  # h5py decodes text attributes itself
        print(f"report: error: {args.path} holds text that is not UTF-8 ({e.reason} at byte {e.start}); "
              "the file is damaged or was not written by redes", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
