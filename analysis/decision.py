"""The report's decision section from a `redes compare --draws` file (its /decision group).

    python3 -m analysis.decision out/decision.h5 -o out/decision.html

Plain language first: the recommended option at the stated willingness to pay, how likely it
is to be best, what it costs, whom it helps, what is most uncertain, and that all of it is a
model estimate under stated assumptions. Then the acceptability curve, the cost-effectiveness
plane and the value of information as a bar chart. Self-contained HTML (inline PNG and CSS).
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import h5py
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from analysis.report import CSS, esc, figure_html, fmt_usd, table  # noqa: E402

STATUS = {0: "on the frontier", 1: "dominated", 2: "extendedly dominated"}
COLOURS = ["#555555", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"]


def labels(f, ds: str, dim: int) -> list[str]:
    """Categorical labels of one dimension (dimension scales written by redes)."""
    scale = f[ds].dims[dim][0]
    return [x.decode() if isinstance(x, bytes) else str(x) for x in scale[()]]


def load(path: str) -> dict:
    with h5py.File(path, "r") as f:
        if "decision" not in f:
            raise SystemExit(f"{path}: no /decision group (run `redes compare ... --draws K`)")
        g = f["decision"]
        d = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in g.attrs.items()}
        d["options"] = labels(f, "/decision/averted_mean", 0)
        for k in ("averted_mean", "averted_lo", "averted_hi", "cost_mean", "share_variance_parameter", "ceac", "evpi"):
            d[k] = g[k][()]
        d["plane_cost"] = g["ce_plane/cost"][()]
        d["plane_averted"] = g["ce_plane/victims_averted"][()]
        d["status"] = g["frontier/status"][()].astype(int)
        d["icer"] = g["frontier/icer"][()]
        d["wtps"] = np.asarray(f["/decision/ceac"].dims[0][0][()], dtype=float)
        if "evppi" in g:
            d["evppi"] = g["evppi"][()]
            d["inputs"] = labels(f, "/decision/evppi", 0)
        else:
            d["evppi"], d["inputs"] = np.array([]), []
    return d


def recommendation(d: dict) -> tuple[int, float, float]:
    """Option with the highest expected net benefit at the stated wtp, its P(best), and the wtp."""
    w = float(d["willingness_to_pay"])
    nb = w * d["plane_averted"] - d["plane_cost"]
    best = int(np.argmax(nb.mean(axis=0)))
    p_best = float(np.mean(np.argmax(nb, axis=1) == best))
    return best, p_best, w


def plain_words(d: dict) -> str:
    best, p, w = recommendation(d)
    opts = d["options"]
    name = opts[best]
    lines = []
    if best == 0:
        lines.append(f"At a willingness to pay of {fmt_usd(w)} per victim averted, no intervention compared here "
                     f"pays for itself in victims averted: keeping the baseline has the highest expected net benefit "
                     f"(best in {p:.0%} of draws).")
    else:
        lines.append(f"At a willingness to pay of {fmt_usd(w)} per victim averted, the recommended option is "
                     f"<strong>{esc(name)}</strong>: it is best in {p:.0%} of the draws of what we do not know.")
        lines.append(f"It costs about {fmt_usd(d['cost_mean'][best])} and averts about "
                     f"{d['averted_mean'][best]:,.0f} victims (model estimate; 95% interval "
                     f"{d['averted_lo'][best]:,.0f} to {d['averted_hi'][best]:,.0f}) in the population represented.")
    if len(d["evppi"]):
        j = int(np.argmax(d["evppi"]))
        if d["evppi"][j] > 0:
            lines.append(f"What is most uncertain for this choice: <strong>{esc(d['inputs'][j])}</strong>. Knowing it "
                         f"exactly would be worth about {fmt_usd(d['evppi'][j])} per decision (of "
                         f"{fmt_usd(d['evpi_at_willingness_to_pay'])} for knowing everything): measure that next.")
    lines.append("Whom it helps is shown by department, age group and gender in the compare section of the report.")
    lines.append("All of this is a model estimate under the stated assumptions: effects and costs come from the "
                 "ranges in the intervention files (most are weak evidence or assumed), parameters from the "
                 f"calibration posterior ({esc(d.get('posterior', 'none'))}), and the model's structure is itself an assumption.")
    return "<ul class='headline'>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>"


def ceac_figure(d: dict) -> str:
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for k, name in enumerate(d["options"]):
        ax.plot(d["wtps"], d["ceac"][:, k], label=name, color=COLOURS[k % len(COLOURS)], lw=2)
    ax.axvline(float(d["willingness_to_pay"]), color="#999", ls="--", lw=1)
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("willingness to pay per victim averted (USD)")
    ax.set_ylabel("probability best (model estimate)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = figure_html(fig, "cost-effectiveness acceptability curves",
                      "For each willingness to pay, the share of draws in which each option has the highest net benefit. "
                      "The dashed line is the stated willingness to pay.")
    plt.close(fig)
    return out


def plane_figure(d: dict) -> str:
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for k, name in enumerate(d["options"][1:], start=1):
        ax.scatter(d["plane_averted"][:, k], d["plane_cost"][:, k], s=12, alpha=.6, label=name,
                   color=COLOURS[k % len(COLOURS)])
    ax.axvline(0, color="#999", lw=1)
    ax.set_xlabel("victims averted vs baseline (model estimate)")
    ax.set_ylabel("cost (USD)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = figure_html(fig, "cost-effectiveness plane", "One point per draw: mean over its replicates.")
    plt.close(fig)
    return out


def voi_figure(d: dict) -> str:
    if not len(d["evppi"]):
        return ""
    order = np.argsort(d["evppi"])
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(order) + 1.2))
    ax.barh([d["inputs"][i] for i in order], [max(0.0, d["evppi"][i]) for i in order], color="#0072B2")
    ax.axvline(float(d["evpi_at_willingness_to_pay"]), color="#D55E00", ls="--", lw=1, label="all unknowns (EVPI)")
    ax.set_xlabel("value of knowing it exactly, USD per decision (model estimate)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = figure_html(fig, "value of information by uncertain input",
                      "Expected value of partial perfect information: how much better the choice would be, on "
                      "average, if this one input were known. Longer bars say what to measure next.")
    plt.close(fig)
    return out


def section(d: dict) -> str:
    rows = []
    for k, name in enumerate(d["options"]):
        icer = d["icer"][k]
        rows.append([name, f"{d['averted_mean'][k]:,.0f}", f"{d['averted_lo'][k]:,.0f} to {d['averted_hi'][k]:,.0f}",
                     f"{100 * d['share_variance_parameter'][k]:.0f}%", fmt_usd(d["cost_mean"][k]), STATUS[d["status"][k]],
                     fmt_usd(icer) if math.isfinite(icer) else "-"])
    return ("<h2>Decision under uncertainty</h2>" + plain_words(d)
            + f"<p class='meta'>{int(d['draws'])} draws x {int(d['replicates'])} replicates per option; intervals cover "
              "parameter and stochastic uncertainty. All numbers are model estimates.</p>"
            + table(["option", "victims averted (model est.)", "95% interval", "share of variance from parameters",
                     "cost", "efficiency frontier", "ICER per extra victim averted"], rows)
            + ceac_figure(d) + plane_figure(d) + voi_figure(d))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("-o", "--output", default="out/decision.html")
    a = ap.parse_args(argv)
    d = load(a.file)
    html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>redes decision</title>"
            f"<style>{CSS}</style></head><body><h1>redes: which prevention option, and how sure are we?</h1>"
            f"{section(d)}</body></html>")
    Path(a.output).parent.mkdir(parents=True, exist_ok=True)
    Path(a.output).write_text(html)
    print(f"wrote {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
