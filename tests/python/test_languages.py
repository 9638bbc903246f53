"""Spanish and English: the CLI's catalogues (sim/i18n) and the report's (analysis/i18n) have the same
keys in both languages, no empty text, the same placeholders, and every key the code asks for;
`redes --lang es` and `analysis.report --lang es` speak Spanish, and both default to the locale."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import i18n, report

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))
SCENARIO = REPO / "scenarios" / "workshop" / "small.yaml"
# (catalogue folder, source files, pattern of a lookup with a literal key)
CATALOGUES = {
    "cli": (REPO / "sim" / "i18n", sorted((REPO / "sim" / "cli").glob("*.cpp")),
            r'\b(?:tr|trf|print_tr)\(\s*"([\w.]+)"'),
    "report": (REPO / "analysis" / "i18n", sorted((REPO / "analysis").glob("*.py")),
               r"""(?<![\w.])tr\(\s*["']([\w.]+)["']"""),
}


def catalogue(which, lang):
    return json.loads((CATALOGUES[which][0] / f"{lang}.json").read_text(encoding="utf-8"))


def used_keys(which):
    _, sources, pattern = CATALOGUES[which]
    return {k for src in sources for k in re.findall(pattern, src.read_text(encoding="utf-8"))}


def placeholders(text):
    return sorted(re.findall(r"\{(\w+)(?::[^}]*)?\}", text))


@pytest.mark.parametrize("which", CATALOGUES)
def test_same_keys_no_empty_text_same_placeholders(which):
    es, en = catalogue(which, "es"), catalogue(which, "en")
    assert set(es) == set(en), f"only in es: {set(es) - set(en)}; only in en: {set(en) - set(es)}"
    for lang, cat in (("es", es), ("en", en)):
        empty = [k for k, v in cat.items() if not isinstance(v, str) or not v.strip()]
        assert not empty, f"{which} {lang}: empty texts {empty}"
    for k in es:
        assert placeholders(es[k]) == placeholders(en[k]), f"{which} {k}: {es[k]!r} vs {en[k]!r}"


@pytest.mark.parametrize("which", CATALOGUES)
def test_every_key_the_code_uses_exists_and_every_key_is_used(which):
    used = used_keys(which)
    assert len(used) > 25  # the scan found the lookups
    for lang in ("es", "en"):
        missing = sorted(used - set(catalogue(which, lang)))
        assert not missing, f"{which} {lang}: missing {missing}"
    # label.* keys are looked up by data label (analysis.i18n.label), not by a literal key.
    unused = sorted(k for k in catalogue(which, "en") if k not in used and not k.startswith("label."))
    assert not unused, f"{which}: keys no code uses {unused}"


def test_spanish_texts_are_translated_and_keep_the_model_estimate_notice():
    for which in CATALOGUES:
        es, en = catalogue(which, "es"), catalogue(which, "en")
        same = [k for k in es if es[k] == en[k] and len(en[k]) > 12 and not k.startswith("label.")]
        assert not same, f"{which}: untranslated {same}"
    assert "ESTIMACIONES DEL MODELO" in catalogue("cli", "es")["run.estimates"]
    assert "estimación del modelo" in catalogue("report", "es")["limits"]


def test_language_from_environment_reads_lc_all_then_lc_messages_then_lang():
    f = i18n.language_from_environment
    assert f({"LANG": "es_PY.UTF-8"}) == "es"
    assert f({"LANG": "en_US.UTF-8"}) == "en"
    assert f({}) == "en"
    assert f({"LC_ALL": "C.UTF-8", "LANG": "es_PY.UTF-8"}) == "en"
    assert f({"LC_MESSAGES": "es_ES.UTF-8", "LANG": "en_GB.UTF-8"}) == "es"
    assert f({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "es"}) == "es"


def test_report_in_spanish_from_a_run_file(run_file, tmp_path):
    path, _ = run_file
    out = tmp_path / "informe.html"
    assert report.main([str(path), "-o", str(out), "--lang", "es"]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "<h1>Informe de redes</h1>" in html
    heads = re.findall(r'<ul class="headline">(.*?)</ul>', html, re.S)[0]
    first = re.findall(r"<li>(.*?)</li>", heads)[0]
    assert first.startswith("Estimación del modelo: ") and "personas captadas en 60 días" in first
    assert "Cómo leer esto / límites" in html and "people recruited" not in html
    assert i18n.language() == "en"  # main() leaves the language as it found it
    html_en, _ = report.render([path])
    assert '<html lang="en">' in html_en and "Model estimate: " in html_en


def test_compare_report_in_spanish(compare_file, tmp_path):
    path, _ = compare_file
    out = tmp_path / "informe.html"
    assert report.main([str(path), "-o", str(out), "--lang", "es"]) == 0
    html = out.read_text(encoding="utf-8")
    heads = re.findall(r"<li>(.*?)</li>", re.findall(r'<ul class="headline">(.*?)</ul>', html, re.S)[0])
    assert heads[0].startswith("Línea de base, estimación del modelo: ")
    # Every sentence with a number of victims says it is a model estimate.
    for s in heads:
        if re.search(r"víctima|captadas", s):
            assert "estimación del modelo" in s.lower() or "según el modelo" in s, s
    assert "Intervenciones comparadas" in html and "Victims averted" not in html


def test_report_language_defaults_to_the_locale(run_file, tmp_path):
    path, _ = run_file
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    for lang, code in (("es_PY.UTF-8", "es"), ("en_US.UTF-8", "en")):
        out = tmp_path / f"{code}.html"
        p = subprocess.run([sys.executable, "-m", "analysis.report", str(path), "-o", str(out)], cwd=REPO,
                           env={**env, "LANG": lang}, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, p.stderr
        assert f'<html lang="{code}">' in out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def binary():
    if not (BIN.is_file() and os.access(BIN, os.X_OK)):
        pytest.skip(f"redes binary not found at {BIN} (set REDES_BIN or build into <repo>/build)")
    return BIN


def redes(binary, *args, env=None, cwd=None):
    p = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=600, env=env, cwd=cwd)
    assert p.returncode == 0, f"{args} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}"
    return p.stdout


def test_redes_run_and_inspect_speak_spanish(binary, tmp_path):
    out = tmp_path / "run.h5"
    text = redes(binary, "run", str(SCENARIO), "-o", str(out), "--replicates", "2", "--seed", "7", "--lang", "es")
    assert "ESTIMACIONES DEL MODELO" in text and "personas captadas" in text and "90 % de las réplicas" in text
    assert "MODEL ESTIMATES" not in text and "people recruited" not in text
    # Numbers keep their format: the same figures as the English summary of the same file.
    english = redes(binary, "--lang", "en", "inspect", str(out))
    spanish = redes(binary, "--lang", "es", "inspect", str(out))
    assert "All figures are MODEL ESTIMATES" in english and "Todas las cifras son ESTIMACIONES DEL MODELO" in spanish
    assert re.findall(r"\d[\d,.]*", english.replace(str(out), "")) == re.findall(r"\d[\d,.]*", spanish.replace(str(out), ""))
    # Report in Spanish from the real file.
    html_path = tmp_path / "informe.html"
    p = subprocess.run([sys.executable, "-m", "analysis.report", str(out), "-o", str(html_path), "--lang", "es"],
                       cwd=REPO, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    html = html_path.read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "Estimación del modelo: " in html and "personas captadas en 5 años" in html


def test_redes_language_defaults_to_the_locale(binary):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    assert "escenario válido" in redes(binary, "validate", str(SCENARIO), env={**env, "LANG": "es_PY.UTF-8"})
    assert "valid scenario" in redes(binary, "validate", str(SCENARIO), env={**env, "LANG": "en_US.UTF-8"})
    assert "valid scenario" in redes(binary, "validate", str(SCENARIO),
                                     env={**env, "LANG": "es_PY.UTF-8", "LC_ALL": "C.UTF-8"})
    p = subprocess.run([str(binary), "--lang", "fr", "validate", str(SCENARIO)], capture_output=True, text=True)
    assert p.returncode != 0 and "fr" in p.stderr


def test_sweep_report_in_spanish(sweep_file, tmp_path):
    path, _ = sweep_file
    out = tmp_path / "informe.html"
    assert report.main([str(path), "-o", str(out), "--lang", "es"]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "Sensibilidad: índices de Sobol" in html and "16 puntos x 2 réplicas" in html
    assert "Which parameters move" not in html and "Design and completeness" not in html


def test_calibration_report_in_spanish(calibration_file, tmp_path):
    path = calibration_file[0] if isinstance(calibration_file, tuple) else calibration_file
    out = tmp_path / "informe.html"
    assert report.main([str(path), "-o", str(out), "--lang", "es"]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "Parámetros calibrados" in html and "nunca fueron registradas" in html
    assert "Calibrated parameters" not in html and "were never recorded" not in html
