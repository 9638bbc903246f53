"""The app's message catalogues (Spanish and English) have the same keys, no empty value, and
every message the app asks for: the literal keys in the HTML and script, and the keys built from
the server's controls, presets, routes and age groups."""
import json
import re

from serve_support import REPO

ASSETS = REPO / "sim" / "serve" / "assets"


def catalogue(lang):
    return json.loads((ASSETS / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def used_keys():
    html = (ASSETS / "index.html").read_text(encoding="utf-8")
    js = (ASSETS / "app.js").read_text(encoding="utf-8")
    keys = set(re.findall(r'data-i18n="([^"]+)"', html))
    keys |= {k for k in re.findall(r'\bt\("([a-z_.]+)"', js) if not k.endswith(".")}  # "age." + k: prefixes, below
    cpp = (REPO / "sim" / "serve" / "workshop.cpp").read_text(encoding="utf-8")
    for key in re.findall(r'\{"(\w+)", "(?:switch|slider|integer)"', cpp):
        keys |= {f"control.{key}.label", f"control.{key}.help", f"control.{key}.unit"}
    keys |= {f"preset.{p}" for p in re.findall(r'"(preset_\w+)"', cpp)}
    for name in ("ROUTES", "AGES"):
        prefix = "route." if name == "ROUTES" else "age."
        items = re.search(name + r" = \[([^\]]+)\]", js).group(1)
        keys |= {prefix + k for k in re.findall(r'"(\w+)"', items)}
    return keys


def test_both_languages_have_the_same_keys_and_no_empty_value():
    es, en = catalogue("es"), catalogue("en")
    assert set(es) == set(en), f"only in es: {set(es) - set(en)}; only in en: {set(en) - set(es)}"
    for lang, cat in (("es", es), ("en", en)):
        empty = [k for k, v in cat.items() if not isinstance(v, str) or not v.strip()]
        assert not empty, f"{lang}: empty messages {empty}"


def test_every_message_the_app_uses_is_in_the_catalogues():
    keys = used_keys()
    assert len(keys) > 60  # the scan found the app's messages
    for lang in ("es", "en"):
        missing = sorted(keys - set(catalogue(lang)))
        assert not missing, f"{lang}: missing {missing}"


def test_placeholders_match_between_languages():
    es, en = catalogue("es"), catalogue("en")
    for k in es:
        assert set(re.findall(r"\{(\w+)\}", es[k])) == set(re.findall(r"\{(\w+)\}", en[k])), k


def test_the_notice_is_on_every_screen_and_says_model_estimate():
    html = (ASSETS / "index.html").read_text(encoding="utf-8")
    assert 'data-i18n="app.notice"' in html and 'data-i18n="app.notice_footer"' in html
    assert "estimación del modelo" in catalogue("es")["app.notice"].lower()
    assert "model estimate" in catalogue("en")["app.notice"].lower()
    assert "sintética" in catalogue("es")["app.notice"] and "Synthetic" in catalogue("en")["app.notice"]
