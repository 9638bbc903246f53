"""analysis.decision: the plain-language decision section names the option with the highest
expected net benefit at the stated willingness to pay, its chance of being best, and calls
every number a model estimate. Built on a /decision file written by `redes compare --draws`."""
import os
import subprocess
from pathlib import Path

import pytest

from analysis import decision

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("REDES_BIN", str(ROOT / "build" / "redes"))


@pytest.fixture(scope="module")
def decision_file(tmp_path_factory):
    if not Path(BIN).exists():
        pytest.skip("redes binary not built")
    out = tmp_path_factory.mktemp("decision") / "decision.h5"
    subprocess.run([BIN, "compare", str(ROOT / "tests/data/decision_tiny.yaml"),
                    str(ROOT / "scenarios/workshop/literacy.yaml"), str(ROOT / "scenarios/workshop/reporting.yaml"),
                    "--draws", "3", "--replicates", "2", "--wtp", "1e9", "-o", str(out)],
                   check=True, capture_output=True)
    return out


def test_section_states_the_recommendation_as_a_model_estimate(decision_file, tmp_path):
    d = decision.load(str(decision_file))
    best, p_best, w = decision.recommendation(d)
    nb = w * d["plane_averted"] - d["plane_cost"]
    assert best == int(nb.mean(axis=0).argmax())
    assert 0 <= p_best <= 1
    # The acceptability curve sums to one over options at every willingness to pay.
    assert abs(d["ceac"].sum(axis=1) - 1).max() < 1e-12
    text = decision.plain_words(d)
    assert "model estimate" in text
    assert f"{p_best:.0%}" in text
    out = tmp_path / "d.html"
    assert decision.main([str(decision_file), "-o", str(out)]) == 0
    html = out.read_text()
    assert "value of information" in html and "acceptability" in html


def test_section_in_spanish_keeps_the_numbers_and_the_model_estimate_notice(decision_file, tmp_path):
    from analysis import i18n
    english, spanish = tmp_path / "en.html", tmp_path / "es.html"
    assert decision.main([str(decision_file), "-o", str(english), "--lang", "en"]) == 0
    assert decision.main([str(decision_file), "-o", str(spanish), "--lang", "es"]) == 0
    assert i18n.language() == "en"  # main() leaves the language as it found it
    en, es = english.read_text(encoding="utf-8"), spanish.read_text(encoding="utf-8")
    assert "<html lang='es'>" in es and "<h2>Decisión bajo incertidumbre</h2>" in es
    assert "estimación del modelo" in es and "Todas las cifras son estimaciones del modelo" in es
    assert "curvas de aceptabilidad" in es and "línea de base" in es
    for word in ("model estimate", "willingness to pay", "Decision under uncertainty", "baseline", "draws x"):
        assert word not in es, word
    # The same table figures in both languages (images differ only in their words).
    body = lambda h: h.split("<table", 1)[1].split("</table>", 1)[0]  # noqa: E731
    nums = lambda h: __import__("re").findall(r"-?\d[\d,.]*", body(h))  # noqa: E731
    assert nums(en) == nums(es)
