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
    # The command's texts: parsed in sim/cli, summaries in sim/present, the decision studies' resume lines in
    # sim/study, the server's start-up lines in sim/serve.
    "cli": (REPO / "sim" / "i18n",
            sorted(f for d in ("cli", "present", "study", "serve") for f in (REPO / "sim" / d).glob("*.cpp")),
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


# ---- optimize, compare --draws, sweep, merge, calibrate; the report's calibration section; analysis.decision ----

def test_the_scan_finds_the_keys_of_every_summary():
    """The key-usage check above covers these summaries only if the scan finds their lookups."""
    cli, rep = used_keys("cli"), used_keys("report")
    for k in ("optimize.best", "optimize.averted", "optimize.equity", "draws.header", "draws.evpi", "sweep.header",
              "sweep.sobol_row", "merge.done", "calibrate.check_row", "calibrate.estimates", "calibrate.hidden"):
        assert k in cli, k
    for k in ("cal.posterior_text", "cal.fit_text", "cal.diagnostics_text", "plot.cal_fit_title", "plot.particles_title",
              "dec.title", "dec.recommended", "dec.assumptions", "dec.ceac_x"):
        assert k in rep, k
    # Presentation lives in sim/present: the studies print nothing a person reads.
    for src in (REPO / "sim" / "decision").glob("*.cpp"):
        text = src.read_text(encoding="utf-8")
        assert "MODEL ESTIMATE" not in text and "describe_budget" not in text and "describe_draws" not in text, src
    # English category labels are the data labels themselves, so English output is unchanged.
    en = catalogue("cli", "en")
    assert all(v == k[len("label."):] for k, v in en.items() if k.startswith("label."))


def numbers(text, drop=()):
    for d in drop:
        text = text.replace(str(d), "")
    return re.findall(r"-?\d[\d,.]*", text)


OPTIMIZE = ["optimize", str(REPO / "tests/data/decision_tiny.yaml"), "--options", str(REPO / "tests/data/optimize_tiny.yaml"),
            "--budget", "500000", "--draws", "2", "--replicates", "1", "--seed", "5", "--threads", "2"]


def test_redes_optimize_speaks_spanish_and_english_is_unchanged(binary, tmp_path):
    en_out, es_out = tmp_path / "en.h5", tmp_path / "es.h5"
    english = redes(binary, "--lang", "en", *OPTIMIZE, "-o", str(en_out))
    spanish = redes(binary, "--lang", "es", *OPTIMIZE, "-o", str(es_out))
    # English: the wording tests/cli/optimize_test.cpp and users read, unchanged.
    lines = english.splitlines()
    assert lines[0] == ("redes optimize: budget 500000 USD, 2 intervention(s), 2 draws x 1 replicate(s), seed 5; "
                        "search exhaustive (6 allocations, 5 simulated)")
    assert lines[1] == ("MODEL ESTIMATE. Best allocation within the budget (most victims averted on average, "
                        "mean cost within budget):")
    assert re.fullmatch(r"  victims averted: [\d.]+ \(95% interval over draws -?[\d.]+ to [\d.]+\), population "
                        r"represented, model estimate", lines[5]), lines[5]
    assert any(x.startswith("  gender:     female ") for x in lines) and lines[-1] == f"wrote {en_out}"
    assert "How often each allocation within budget averts the most, across draws (top 5; coverage per " \
           "intervention, 0 = not funded; model estimate):" in lines
    # Spanish: every victim figure labelled an estimate of the model, with its interval.
    assert "ESTIMACIÓN DEL MODELO" in spanish and "MODEL ESTIMATE" not in spanish
    averted = [x for x in spanish.splitlines() if x.startswith("  víctimas evitadas: ")]
    assert len(averted) == 1 and "intervalo del 95 %" in averted[0] and "estimación del modelo" in averted[0]
    assert "A quiénes beneficia" in spanish and "mujeres" in spanish and "female" not in spanish
    assert "victims" not in spanish and "fund " not in spanish and spanish.splitlines()[-1] == f"escrito: {es_out}"
    # The same figures in the same order.
    assert numbers(english, [en_out]) == numbers(spanish, [es_out])


def test_redes_compare_draws_speaks_spanish(binary, tmp_path):
    args = ["compare", str(REPO / "tests/data/decision_tiny.yaml"), str(REPO / "scenarios/workshop/literacy.yaml"),
            "--draws", "2", "--replicates", "1", "--seed", "5"]
    english = redes(binary, "--lang", "en", *args, "-o", str(tmp_path / "en.h5"))
    spanish = redes(binary, "--lang", "es", *args, "-o", str(tmp_path / "es.h5"))
    assert english.startswith("Model estimates over 2 draws x 1 replicates (intervention effects and costs drawn; "
                              "no posterior): victims averted in the population represented")
    assert spanish.startswith("Estimaciones del modelo sobre 2 extracciones x 1 réplicas")
    assert "víctimas evitadas" in spanish and "línea de base" in spanish and "(estimación del modelo)" in spanish
    assert "victims" not in spanish and "baseline" not in spanish
    assert numbers(english, [tmp_path / "en.h5"]) == numbers(spanish, [tmp_path / "es.h5"])


def test_redes_sweep_and_merge_speak_spanish(binary, tmp_path):
    part = tmp_path / "s.shard-1-of-3.h5"
    spanish = redes(binary, "--lang", "es", "sweep", str(REPO / "tests/data/sweep_tiny.yaml"), "-o", str(tmp_path / "s.h5"),
                    "--shard", "1/3")
    assert "redes sweep 'sweep-tiny': 6 punto(s) x 2 réplica(s) = 12 corridas; 4 en " in spanish
    assert "se hicieron 4 corrida(s)" in spanish and "incompleto: faltan 8 corrida(s)" in spanish
    assert "run(s)" not in spanish and "incomplete" not in spanish
    merged = redes(binary, "--lang", "es", "merge", str(part), "-o", str(tmp_path / "m.h5"))
    assert merged == f"se unieron 1 parte(s) del barrido 'sweep-tiny' en {tmp_path / 'm.h5'}: 4 de 12 corrida(s); todavía incompleto\n"
    english = redes(binary, "--lang", "en", "merge", str(part), "-o", str(tmp_path / "m2.h5"))
    assert english == f"merged 1 part(s) of sweep 'sweep-tiny' into {tmp_path / 'm2.h5'}: 4 of 12 run(s); still incomplete\n"


# As tests/calibration/calibration_cli_test.cpp: 2,000 persons over two years, 4 particles, one generation.
CAL_SCENARIO = f"""include: {REPO}/scenarios/workshop/small.yaml
name: Calibration language test
override:
  population.size: {{value: 2000, assumed: "test size"}}
  population.represents: {{value: 2000, assumed: "stand-alone test population"}}
  calendar.years: {{value: 2, assumed: "2019-2020"}}
  recruitment.recruiters.per_100k: {{value: 400, assumed: "a few recruiters"}}
  recruitment.fishing.ad_audience: {{value: 10, assumed: "fast test"}}
  recruitment.fishing.respond_base: {{value: 0.012, assumed: "fast test"}}
"""
CALIBRATION = """name: lang-test
baseline: scenario.yaml
seed: 3
parameters:
  - {key: recruitment.recruiters.per_100k, prior: loguniform, min: 100, max: 1000}
  - {key: observation.fear, prior: uniform, min: 0.1, max: 0.9}
targets:
  - {name: police cases, model: cases.police, unit: cases, years: [2019, 2020], value: [2, 3], source: test}
  - {name: recorded victims, model: recorded_victims, unit: victims, years: [2020], value: [7], source: test}
abc: {particles: 4, rejection_keep: 0.5, generations: 1, min_acceptance: 0}
"""


def test_redes_calibrate_speaks_spanish(binary, tmp_path):
    (tmp_path / "scenario.yaml").write_text(CAL_SCENARIO)
    (tmp_path / "calibration.yaml").write_text(CALIBRATION)
    cal = str(tmp_path / "calibration.yaml")
    english = redes(binary, "--lang", "en", "calibrate", cal, "-o", str(tmp_path / "en.h5"))
    spanish = redes(binary, "--lang", "es", "calibrate", cal, "-o", str(tmp_path / "es.h5"))
    assert "MODEL ESTIMATES over the simulated period" in english and "posterior predictive check" in english
    assert "ESTIMACIONES DEL MODELO en el período simulado" in spanish and "verificación predictiva a posteriori" in spanish
    assert "víctimas nunca registradas" in spanish and "valores ajustados dentro de su intervalo" in spanish
    for word in ("MODEL ESTIMATES", "victims never recorded", "posterior (median", "fitted values", "tolerance"):
        assert word not in spanish, word
    # Same seed, same figures: the estimates of hidden and true victims agree line by line.
    pick = lambda text, label: numbers([x for x in text.splitlines() if x.startswith(label)][0])  # noqa: E731
    assert pick(english, "  victims never recorded") == pick(spanish, "  víctimas nunca registradas")
    assert pick(english, "  true victims") == pick(spanish, "  víctimas reales")


def test_calibration_tables_and_plots_in_spanish(calibration_file):
    from analysis import plots
    from analysis.load import open_h5
    from analysis.studies import load_calibration
    path = calibration_file[0]
    i18n.set_language("es")
    try:
        html, _ = report.render([path])
        with open_h5(path) as f:
            cal = load_calibration(f)
        fit_fig, _ = plots.calibration_fit(cal)
        particles_fig, _ = plots.posterior_particles(cal)
    finally:
        i18n.set_language("en")
    for es in ("Mediana a posteriori ponderada", "rango a priori", "nunca registradas (ocultas)",
               "Verificación predictiva a posteriori", "mediana del modelo", "0 (rechazo)", "tolerancia", " a ", "(escala log)"):
        assert es in html, es
    for en in ("Weighted posterior median", "prior range", "never recorded (hidden)", "Posterior predictive check",
               "model median", "(rejection)", "(log scale)", "Stopped:"):
        assert en not in html, en
    assert fit_fig._suptitle.get_text() == "Ajuste a los objetivos"
    assert "estimación del modelo" in fit_fig.axes[-1].get_xlabel()
    assert particles_fig.axes[0].get_title().startswith("Partículas a posteriori sobre los rangos a priori")
