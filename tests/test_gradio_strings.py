"""Gradio's own strings in Vietnamese (assistant/web/gradio_strings.py), without a browser: every language
the installed Gradio ships gets the Vietnamese strings, as flat keys, so no browser language falls back to
Gradio's own translation. The browser side is tests/test_web_gradio_strings_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import gradio as gr

from assistant.web.gradio_strings import (
    FIXED_LABELS,
    FIXED_LABELS_JS,
    GRADIO_LOCALES,
    THUMB_DOWN_CHOSEN,
    THUMB_UP,
    THUMB_UP_CHOSEN,
    flat_strings,
    vietnamese_gradio_strings,
)

ASSETS = Path(gr.__file__).parent / "templates" / "frontend" / "assets"


def bundled_locales() -> set[str]:
    """The languages the installed Gradio's frontend ships: its `./lang/<locale>.json` imports."""
    found: set[str] = set()
    for script in ASSETS.glob("*.js"):
        text = script.read_text(encoding="utf-8", errors="replace")
        if '"./lang/en.json"' in text:
            found.update(re.findall(r'"\./lang/([A-Za-z-]+)\.json"', text))
    return found


def test_every_language_gradio_ships_gets_the_vietnamese_strings() -> None:
    bundled = bundled_locales()
    assert {"en", "fr", "de", "zh-CN"} <= bundled, f"Gradio's language list not found in {ASSETS}"
    missing = bundled - set(GRADIO_LOCALES)
    assert not missing, f"Gradio {gr.__version__} ships {sorted(missing)}: add them to GRADIO_LOCALES"


def test_the_i18n_gives_each_language_the_same_flat_vietnamese_keys() -> None:
    strings = flat_strings()
    assert strings["chatbot.like"] == THUMB_UP and strings["common.clear"] == "Xoá"
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", key) for key in strings), "Gradio's dotted keys"
    translations = vietnamese_gradio_strings().translations_dict
    assert set(translations) == set(GRADIO_LOCALES) and "en" in translations
    assert all(table == strings for table in translations.values())


def test_the_page_script_renames_gradio_s_fixed_english_labels_in_vietnamese() -> None:
    assert json.dumps(FIXED_LABELS, ensure_ascii=False) in FIXED_LABELS_JS
    assert (FIXED_LABELS["Liked"], FIXED_LABELS["Disliked"]) == (THUMB_UP_CHOSEN, THUMB_DOWN_CHOSEN)
    vietnamese = re.compile(r"[à-ỹđ]", re.IGNORECASE)
    assert all(vietnamese.search(label) for label in FIXED_LABELS.values()), FIXED_LABELS
