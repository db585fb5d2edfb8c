"""Parameter titles in the UI language (the translations live in ``graph.glossary``, one place, no Qt)."""

from __future__ import annotations

from app.i18n import ui_language
from graph.glossary import param_title as _title


def param_title(param) -> str:
    """The param's title in the UI language."""
    return _title(param, ui_language())
