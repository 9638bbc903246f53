"""The report's decision section from a `redes compare --draws` file (its /decision group).

    python3 -m analysis.decision out/decision.h5 -o out/decision.html [--lang es|en]

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

from analysis.i18n import label, language, language_from_environment, set_language, tr  # noqa: E402
from analysis.load import attrs, axes  # noqa: E402
from analysis.report import CSS, esc, figure_html, fmt_usd, table  # noqa: E402



def status_text(status: int) -> str:
    """Frontier status as written by redes (0, 1, 2) in words."""
    return (tr("dec.on_frontier"), tr("dec.dominated"), tr("dec.extendedly_dominated"))[status]


def option_name(name: str) -> str:
    """Option for display: the baseline in the page's language; intervention names as their files give them."""
    return label(name) if name == "baseline" else name
COLOURS = ["#555555", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"]


def labels(f, ds: str, dim: int) -> list[str]:
    """Categorical labels of one dimension (its scale under /labels, read with the checks of analysis.load)."""
    return [str(x) for x in axes(f[ds])[dim][1]]


def load(path: str) -> dict:
    with h5py.File(path, "r") as f:
        if "decision" not in f:
            raise SystemExit(f"{path}: no /decision group (run `redes compare ... --draws K`)")  # errors stay English
        g = f["decision"]
        d = attrs(g)
        d["options"] = labels(f, "/decision/averted_mean", 0)
        for k in ("averted_mean", "averted_lo", "averted_hi", "cost_mean", "share_variance_parameter", "ceac", "evpi"):
            d[k] = g[k][()]
        d["plane_cost"] = g["ce_plane/cost"][()]
        d["plane_averted"] = g["ce_plane/victims_averted"][()]
        d["status"] = g["frontier/status"][()].astype(int)
        d["icer"] = g["frontier/icer"][()]
        d["wtps"] = np.asarray(axes(f["/decision/ceac"])[0][1], dtype=float)
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
        lines.append(tr("dec.keep_baseline", wtp=fmt_usd(w), p=f"{p:.0%}"))
    else:
        lines.append(tr("dec.recommended", wtp=fmt_usd(w), name=esc(name), p=f"{p:.0%}"))
        lines.append(tr("dec.costs", cost=fmt_usd(d['cost_mean'][best]), averted=f"{d['averted_mean'][best]:,.0f}",
                        lo=f"{d['averted_lo'][best]:,.0f}", hi=f"{d['averted_hi'][best]:,.0f}"))
    if len(d["evppi"]):
        j = int(np.argmax(d["evppi"]))
        if d["evppi"][j] > 0:
            lines.append(tr("dec.most_uncertain", input=esc(d['inputs'][j]), value=fmt_usd(d['evppi'][j]),
                            evpi=fmt_usd(d['evpi_at_willingness_to_pay'])))
    lines.append(tr("dec.whom"))
    lines.append(tr("dec.assumptions", posterior=esc(d.get('posterior', tr("dec.none")))))
    return "<ul class='headline'>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>"


def ceac_figure(d: dict) -> str:
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for k, name in enumerate(d["options"]):
        ax.plot(d["wtps"], d["ceac"][:, k], label=option_name(name), color=COLOURS[k % len(COLOURS)], lw=2)
    ax.axvline(float(d["willingness_to_pay"]), color="#999", ls="--", lw=1)
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(tr("dec.ceac_x"))
    ax.set_ylabel(tr("dec.ceac_y"))
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = figure_html(fig, tr("dec.ceac_alt"), tr("dec.ceac_caption"))
    plt.close(fig)
    return out


def plane_figure(d: dict) -> str:
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for k, name in enumerate(d["options"][1:], start=1):
        ax.scatter(d["plane_averted"][:, k], d["plane_cost"][:, k], s=12, alpha=.6, label=name,
                   color=COLOURS[k % len(COLOURS)])
    ax.axvline(0, color="#999", lw=1)
    ax.set_xlabel(tr("dec.plane_x"))
    ax.set_ylabel(tr("dec.plane_y"))
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = figure_html(fig, tr("dec.plane_alt"), tr("dec.plane_caption"))
    plt.close(fig)
    return out


def voi_figure(d: dict) -> str:
    if not len(d["evppi"]):
        return ""
    order = np.argsort(d["evppi"])
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(order) + 1.2))
    ax.barh([d["inputs"][i] for i in order], [max(0.0, d["evppi"][i]) for i in order], color="#0072B2")
    ax.axvline(float(d["evpi_at_willingness_to_pay"]), color="#D55E00", ls="--", lw=1, label=tr("dec.voi_all"))
    ax.set_xlabel(tr("dec.voi_x"))
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = figure_html(fig, tr("dec.voi_alt"), tr("dec.voi_caption"))
    plt.close(fig)
    return out


def section(d: dict) -> str:
    rows = []
    for k, name in enumerate(d["options"]):
        icer = d["icer"][k]
        rows.append([option_name(name), f"{d['averted_mean'][k]:,.0f}",
                     tr("dec.range", lo=f"{d['averted_lo'][k]:,.0f}", hi=f"{d['averted_hi'][k]:,.0f}"),
                     f"{100 * d['share_variance_parameter'][k]:.0f}%", fmt_usd(d["cost_mean"][k]), status_text(d["status"][k]),
                     fmt_usd(icer) if math.isfinite(icer) else "-"])
    return (f"<h2>{tr('dec.title')}</h2>" + plain_words(d)
            + f"<p class='meta'>{tr('dec.meta', draws=int(d['draws']), replicates=int(d['replicates']))}</p>"
            + table([tr("dec.col_option"), tr("dec.col_averted"), tr("dec.col_interval"), tr("dec.col_share"),
                     tr("dec.col_cost"), tr("dec.col_frontier"), tr("dec.col_icer")], rows)
            + ceac_figure(d) + plane_figure(d) + voi_figure(d))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("-o", "--output", default="out/decision.html")
    ap.add_argument("--lang", choices=["es", "en"], default=language_from_environment(),
                    help="language of the page (default: es when LC_ALL, LC_MESSAGES or LANG starts with es, else en)")
    a = ap.parse_args(argv)
    previous = language()
    set_language(a.lang)
    try:
        d = load(a.file)
        html = (f"<!doctype html><html lang='{a.lang}'><head><meta charset='utf-8'><title>{tr('dec.page_title')}</title>"
                f"<style>{CSS}</style></head><body><h1>{tr('dec.heading')}</h1>"
                f"{section(d)}</body></html>")
        Path(a.output).parent.mkdir(parents=True, exist_ok=True)
        Path(a.output).write_text(html, encoding="utf-8")
        print(tr("dec.wrote", out=a.output))
    finally:
        set_language(previous)  # main() may be called in-process (tests): leave the language as found
    return 0


if __name__ == "__main__":
    sys.exit(main())
