"""One self-contained HTML report from redes run and compare files.

    python3 -m analysis.report PATH [-o report.html]

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

LIMITS = (
    "<strong>How to read this / limits.</strong> The people in these runs are a synthetic "
    "population generated from aggregate statistics; no real person is represented. Every "
    "count of victims is a <em>model estimate</em>, not a measurement. Intervals show how much "
    "the result varies across simulation replicates (different random draws with the same "
    "parameters) only: they do not include uncertainty about the parameters themselves unless a "
    "section says so. Medians come with a 90% interval across replicates; bar charts show the mean "
    "per replicate with 90% whiskers. Intervention comparisons pair each intervention replicate "
    "with the baseline replicate that used the same random numbers, and give a 95% interval over "
    "those pairs. Recorded figures model what institutions would see; the hidden share is the "
    "part of the model's victims that no institution records. Use the numbers to compare options "
    "and to judge orders of magnitude, not as forecasts."
)


# ---- number formatting (shared with the tests so that sentences can be checked exactly) ----

def fmt_count(x) -> str:
    """1234.4 -> '1,234'; small non-integers keep one decimal; NaN -> 'n/a'."""
    x = float(x)
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 10 or abs(x - round(x)) < 1e-9:
        return f"{x:,.0f}"
    return f"{x:.1f}"


def fmt_range(lo, hi) -> str:
    """Interval text: '1,100–1,380', or '-10 to 130' when a bound is negative."""
    sep = " to " if min(float(lo), float(hi)) < 0 else "–"
    return f"{fmt_count(lo)}{sep}{fmt_count(hi)}"


def fmt_pct(x) -> str:
    """Fraction -> percent text ('0.07' -> '7%')."""
    x = float(x)
    if not math.isfinite(x):
        return "n/a"
    return f"{100 * x:.1f}%" if abs(x) < 0.01 else f"{100 * x:.0f}%"


def fmt_usd(x) -> str:
    x = float(x)
    return "n/a" if not math.isfinite(x) else f"USD {x:,.0f}"


def horizon(md: dict) -> str:
    """'5 years' when the run covers whole years, else 'N days'."""
    days = md.get("days")
    if days is None:
        return "the simulated period"
    years = int(days) / 365.25
    if years >= 1 and abs(years - round(years)) < 0.02:
        n = round(years)
        return f"{n} year" if n == 1 else f"{n} years"
    return f"{int(days):,} days"


def victims_sentence(values, md: dict, prefix: str = "Model estimate") -> str:
    """Headline: people recruited over the horizon, median and 90% interval across replicates."""
    med, lo, hi = quantiles(values)
    n = len(values)
    tail = ("a single replicate, so no interval" if n == 1
            else f"90% interval {fmt_range(lo, hi)} across {n} replicates")
    sentence = f"{prefix}: {fmt_count(med)} people recruited over {horizon(md)} ({tail})."
    agents, represents = md.get("agents"), md.get("represents")
    if agents and represents and abs(float(represents) / float(agents) - 1) > 1e-9:
        # A sample of a larger population: say so, so nobody quotes sample counts as national ones.
        sentence += (f" These counts are for {int(agents):,} synthetic persons standing for "
                     f"{float(represents):,.0f} people; multiply by {float(represents) / float(agents):.1f} for that scale.")
    return sentence


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


SUMMARY_HEAD = ["", "mean per replicate", "90% interval", "median"]


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
            self.body.append(f'<p class="note">Section omitted: {esc(e)}.</p>')
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
        rep.body.append(f"<details><summary>Numbers (model estimate)</summary>{table(headers, body)}</details>")


def _metadata_section(rep: FileReport, md: dict):
    skip = {"scenario_text"}
    rows = [[k, v] for k, v in md.items() if k not in skip]
    rep.body.append(f'<section data-section="metadata"><h3>Provenance</h3>{table(["attribute", "value"], rows, 9)}')
    if md.get("scenario_text"):
        rep.body.append(f"<details><summary>Scenario as loaded</summary><pre>{esc(md['scenario_text'])}</pre></details>")
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
        rep.headlines.append("By recruitment route (model estimate, median with 90% interval): "
                             + "; ".join(parts) + ".")
    except MissingData:
        pass
    if "/observed/hidden_ratio" in f:
        ratio = per_replicate(f, "/observed/hidden_ratio")["value"].to_numpy(dtype=float)
        hidden = np.where(ratio > 0, 1 - 1 / np.where(ratio > 0, ratio, 1), np.nan)
        rm, rl, rh = quantiles(ratio)
        hm, hl, hh = quantiles(hidden)
        rep.numbers["hidden"] = {"ratio": (rm, rl, rh), "share": (hm, hl, hh)}
        rep.headlines.append(
            f"Model estimate: for every victim recorded by any institution there are {rm:.1f} victims in "
            f"total (90% interval {rl:.1f}–{rh:.1f}), so about {fmt_pct(hm)} stay hidden "
            f"(90% interval {fmt_pct(hl)}–{fmt_pct(hh)}).")

    n = len(victims)
    rep.section("trajectories", "Stages over time", lambda: _plot_section(
        rep, "trajectories", lambda: plots.stage_trajectories(f),
        "Line charts of people in each recruitment stage by day",
        f"Median (line) and 90% band (shaded) over {n} replicates of the number of people in each "
        "active stage at the end of each day. Model estimate."))
    rep.section("funnel", "Recruitment funnel by route", lambda: _plot_section(
        rep, "funnel", lambda: plots.funnel_by_route(f),
        "Bar chart of pipelines started and people recruited per route",
        "Pipelines started (a recruiter began approaching someone) and people recruited, per route. "
        "Log scale. Model estimate.",
        lambda d: (["route", "pipelines started (mean)", "recruited (mean)", "recruited 90% interval",
                    "recruited per started"],
                   [[plots.pretty(r.route), fmt_count(r.started_mean), fmt_count(r.recruited_mean),
                     fmt_range(r.recruited_lo, r.recruited_hi), fmt_pct(r.conversion)] for r in d.itertuples()])))
    for dim, title in (("platform", "Victims by platform"), ("department", "Victims by department"),
                       ("exploitation", "Victims by type of exploitation"),
                       ("destination", "Victims by destination"),
                       ("means", "Victims by means: accepted offer or coercion")):
        rep.section(f"victims_by_{dim}", title, lambda dim=dim, title=title: _plot_section(
            rep, f"victims_by_{dim}", lambda: plots.victims_by(f, dim),
            f"Bar chart: {title.lower()}",
            f"{title}: mean per replicate with 90% interval across replicates. Model estimate.",
            lambda d: ([plots.pretty(dim)] + SUMMARY_HEAD[1:], summary_rows(d, dim))))
    rep.section("age_gender", "Victims by age group and gender", lambda: _plot_section(
        rep, "age_gender", lambda: plots.victims_by_age_gender(f),
        "Bar charts: victims by age group and by gender",
        "The file stores the two margins separately (not their cross-table). Model estimate.",
        lambda d: (["group"] + SUMMARY_HEAD[1:],
                   summary_rows(d["age_group"], "age_group") + summary_rows(d["gender"], "gender"))))

    if "/observed" in f:
        rep.section("observed", "True and recorded victims", lambda: _observed(f, rep))
    else:
        rep.note("observed", "True and recorded victims",
                 "This file has no /observed group (optional), so the comparison of true and "
                 "recorded victims is omitted.")
    if "/interventions" in f:
        rep.section("interventions", "Interventions in this run", lambda: _interventions(f, rep))
    else:
        rep.note("interventions", "Interventions in this run",
                 "This file has no /interventions group (optional): no intervention ran, or it was "
                 "not written.")
    if "/events" in f:
        rep.section("events", "Event log", lambda: _events(f, rep, n))
    else:
        rep.note("events", "Event log", "This file has no /events table (optional), so event counts "
                 "are omitted.")
    _metadata_section(rep, md)


def _observed(f, rep: FileReport):
    _plot_section(rep, "observed", lambda: plots.observed_by_year(f),
                  "Bar chart of true and recorded victims per year",
                  "Victims in the model (truth) and victims recorded by at least one institution, per "
                  "year; the label is the share never recorded. Model estimate.",
                  lambda d: (["year", "true (mean)", "true 90% interval", "recorded (mean)",
                              "recorded 90% interval", "hidden share"],
                             [[r.year, fmt_count(r.true_mean), fmt_range(r.true_lo, r.true_hi),
                               fmt_count(r.recorded_mean), fmt_range(r.recorded_lo, r.recorded_hi),
                               fmt_pct(r.hidden_share)] for r in d.itertuples()]))
    if "/observed/recorded_cases" in f:
        s = summarise(per_replicate(f, "/observed/recorded_cases", "institution"))
        rep.numbers["recorded_by_institution"] = s
        rep.body.append("<p>Recorded cases by institution over the whole period (model estimate; one "
                        "victim can be recorded by several institutions):</p>"
                        + table(["institution"] + SUMMARY_HEAD[1:], summary_rows(s.rename_axis("institution")
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
    rep.body.append(table(["intervention", "type", "reach (sum of daily reach, mean)", "cost (mean)",
                           "cost 90% interval"], rows, 2))
    if types and len(types) != len(reach):
        rep.body.append(f"<p>Intervention types: {esc(', '.join(types))}.</p>")


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
    names = [labels[i] if i < len(labels) else f"code {i}" for i in range(len(counts))]
    rep.numbers["events"] = pd.Series(counts, index=names)
    rows = [[plots.pretty(n), f"{c:,}", fmt_count(c / max(replicates, 1))] for n, c in zip(names, counts) if c]
    rep.body.append(f"<p>{ds.shape[0]:,} stage transitions logged over {replicates} replicates "
                    "(model estimate), by stage entered:</p>"
                    + table(["stage entered", "events", "per replicate"], rows))


# ---- compare files ----

def _by_intervention(f, key: str) -> pd.Series:
    arr, ax = labelled(f, f"/compare/{key}", ["intervention"])
    return pd.Series(arr.astype(float), index=list(ax[0][1]))


def intervention_sentence(name: str, mean, lo, hi, share, cpva) -> str:
    """'Digital literacy averts an estimated 85 victims (95% interval 40–130), 7% of the
    baseline, at USD 1,200 per victim averted (model estimate).'"""
    label = plots.pretty(name).capitalize()
    noun = "victim" if fmt_count(mean) == "1" else "victims"
    if not mean > 0:
        return (f"{label} does not avert victims on average: model estimate {fmt_count(mean)} "
                f"(95% interval {fmt_range(lo, hi)}).")
    tail = (f"at {fmt_usd(cpva)} per victim averted (model estimate)." if math.isfinite(cpva)
            else "(model estimate; no cost per victim averted is available).")
    sentence = (f"{label} averts an estimated {fmt_count(mean)} {noun} (95% interval {fmt_range(lo, hi)}), "
                f"{fmt_pct(share)} of the baseline, {tail}")
    if not lo > 0:
        # An interval that reaches zero cannot tell the effect from none: say so next to the cost.
        sentence += (" The interval includes zero: with these replicates the effect cannot be told apart "
                     "from no effect.")
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
    who = "Baseline" if baseline == "baseline" else f"Baseline ({plots.pretty(baseline)})"
    rep.headlines.append(victims_sentence(victims, md, f"{who}, model estimate"))

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
                 f"{fmt_pct(r.share_averted_mean)} ({fmt_pct(r.share_averted_lo)} to {fmt_pct(r.share_averted_hi)})",
                 fmt_usd(r.cost), fmt_usd(r.cost_per_victim_averted)] for n, r in t.iterrows()]
        rep.body.append("<p>Victims averted are baseline minus intervention, paired replicate by replicate "
                        "(model estimate, 95% interval).</p>"
                        + table(["intervention", "victims averted", "95% interval", "share of baseline",
                                 "cost", "cost per victim averted"], rows))
    rep.section("compare_table", "Interventions compared", overview)
    rep.section("forest", "Victims averted", lambda: _plot_section(
        rep, "forest", lambda: plots.forest(f), "Forest plot of victims averted per intervention",
        "Mean victims averted with 95% interval over paired replicates. Model estimate."))
    rep.section("cost_effectiveness", "Cost and effect", lambda: _plot_section(
        rep, "cost_effectiveness", lambda: plots.cost_effectiveness(f),
        "Scatter plot of cost against victims averted",
        "Each point is one intervention: victims averted (model estimate, 95% interval) against its cost in USD."))
    rep.section("cumulative", "Recruitment over time by arm", lambda: _plot_section(
        rep, "cumulative", lambda: plots.cumulative_by_arm(f, arms),
        "Line chart of cumulative people recruited per arm",
        "Cumulative people recruited per arm: median over replicates; the shaded band is the baseline's "
        "90% interval. Model estimate."))
    for dim in ("department", "age_group", "gender", "route", "platform"):
        rep.section(f"averted_by_{dim}", f"Who benefits: victims averted by {plots.pretty(dim)}",
                    lambda dim=dim: _averted_by(f, rep, dim))
    _metadata_section(rep, md)


def _averted_by(f, rep: FileReport, dim: str):
    parts = {}
    for k in ("mean", "lo", "hi"):
        arr, ax = labelled(f, f"/compare/averted_by_{dim}_{k}", ["intervention", dim])
        parts[k] = pd.DataFrame(arr.astype(float), index=list(ax[0][1]), columns=list(ax[1][1]))
    m = parts["mean"]
    rep.numbers[f"averted_by_{dim}"] = parts
    rows = [[plots.pretty(c)] + [f"{fmt_count(m.at[i, c])} ({fmt_range(parts['lo'].at[i, c], parts['hi'].at[i, c])})"
                                 for i in m.index] for c in m.columns]
    rep.body.append("<p>Victims averted (model estimate, mean with 95% interval):</p>"
                    + table([plots.pretty(dim)] + [plots.pretty(i) for i in m.index], rows))


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
        else:
            text = (f"{path.name} is a redes '{rep.kind}' file; this report does not summarise "
                    f"'{rep.kind}' files yet.")
            rep.headlines.append(text)
            rep.body.append(f'<p class="note">{esc(text)}</p>')
            _metadata_section(rep, metadata(f))
    return rep


def render(paths: list[Path]) -> tuple[str, list[FileReport]]:
    """Build the HTML for all files; returns it with the per-file numbers (used by tests)."""
    reports = [file_report(Path(p), i + 1) for i, p in enumerate(paths)]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>redes report</title><style>{CSS}</style></head><body>",
           "<h1>redes report</h1>",
           f'<p class="meta">Generated {esc(dt.datetime.now().strftime("%Y-%m-%d %H:%M"))} from '
           f'{esc(", ".join(r.path.name for r in reports))}.</p>',
           '<section id="headlines"><h2>Headlines</h2>']
    for r in reports:
        if len(reports) > 1:
            out.append(f"<h3>{esc(r.path.name)} ({esc(r.kind)})</h3>")
        out.append('<ul class="headline">' + "".join(f"<li>{esc(s)}</li>" for s in r.headlines) + "</ul>")
    out.append(f'</section><section id="limits"><p class="limits">{LIMITS}</p></section>')
    for r in reports:
        out.append(f'<section id="{r.anchor}" class="file"><h2>{esc(r.path.name)}: {esc(r.kind)} file</h2>')
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
    args = parser.parse_args(argv)
    try:
        text, _ = render(input_files(args.path))
        out = write_atomic(args.output, text)
    except ReportError as e:
        print(f"report: error: {e}", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
