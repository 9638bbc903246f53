"""Words of the HTML report in Spanish or English: catalogues analysis/i18n/{es,en}.json.

    tr("key", name=value)  the text of `key` in the chosen language, {name} fields filled (str.format)
    label(name)            a data label for display: its catalogue text ("label.<name>") or 'a_b' -> 'a b'

Numbers are formatted by the caller and keep one format in both languages.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("es", "en")
_HERE = Path(__file__).resolve().parent
_lang = "en"


def language_from_environment(env=None) -> str:
    """'es' when LC_ALL, else LC_MESSAGES, else LANG (the first one set, as POSIX reads them) starts with 'es'."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            return "es" if env[var].startswith("es") else "en"
    return "en"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict:
    if lang not in LANGUAGES:
        raise ValueError(f"no message catalogue for language '{lang}' (choose es or en)")
    with open(_HERE / f"{lang}.json", encoding="utf-8") as fh:
        return json.load(fh)


def set_language(lang: str) -> None:
    global _lang
    catalogue(lang)  # fail now, not at the first message
    _lang = lang


def language() -> str:
    return _lang


def tr(key: str, **fields) -> str:
    text = catalogue(_lang)[key]  # a missing key is a bug: tests check every key used exists
    return text.format(**fields) if fields else text


def label(name) -> str:
    """Known labels (stages, routes, dimensions) are translated; names users give (interventions) are not."""
    name = str(name)
    return catalogue(_lang).get(f"label.{name}", name.replace("_", " "))
