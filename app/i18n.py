"""UI language: install Qt translators (LayerLab's own and Qt's) and tell views which spec docs to show.

The choice is the QSettings value ``ui/language`` (``auto``, ``en`` or ``zh_CN``); ``auto`` follows the
system locale. A new choice takes effect at the next start: views read their strings once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

SETTING = "ui/language"
LANGUAGES = ("auto", "en", "zh_CN")  # values of the ui/language setting
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"

_state = {"lang": "en", "translators": []}


def qm_path(lang: str = "zh_CN") -> Path:
    """The compiled LayerLab translation for ``lang``."""
    return TRANSLATIONS_DIR / f"layerlab_{lang}.qm"


def saved_language() -> str:
    """The ``ui/language`` setting (``auto`` when unset or unknown)."""
    value = str(QSettings().value(SETTING, "auto") or "auto")
    return value if value in LANGUAGES else "auto"


def save_language(lang: str) -> None:
    """Remember the UI language for the next start."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown UI language {lang!r}")
    QSettings().setValue(SETTING, lang)


def resolve_language(lang: str | None = None) -> str:
    """``en`` or ``zh_CN``: the explicit choice, else the setting, else the system locale."""
    choice = lang or saved_language()
    if choice == "auto":
        names = QLocale.system().uiLanguages() or [QLocale.system().name()]
        choice = "zh_CN" if any(n.replace("-", "_").lower().startswith("zh") for n in names) else "en"
    return "zh_CN" if choice.lower().startswith("zh") else "en"


def install_translator(app: QCoreApplication, lang: str | None = None) -> str:
    """Install the translators for ``lang`` (or the saved/system choice); returns ``en`` or ``zh_CN``."""
    for old in _state["translators"]:
        app.removeTranslator(old)
    _state["translators"] = []
    chosen = resolve_language(lang)
    if chosen != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in ((f"qtbase_{chosen}", qt_dir), (f"layerlab_{chosen}", str(TRANSLATIONS_DIR))):
            translator = QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
                _state["translators"].append(translator)
    _state["lang"] = chosen
    return chosen


def ui_language() -> str:
    """``zh`` when the Chinese UI is installed, else ``en``: the language of spec docs to show."""
    return "zh" if _state["lang"].startswith("zh") else "en"


def pick(en: str, zh: str) -> str:
    """The text for the current UI language (falls back to English when there is no Chinese)."""
    return zh if ui_language() == "zh" and zh else en


def diag(text: str | None) -> str | None:
    """A problem or fix from graph/ (English) in the UI language; unknown messages stay English."""
    if not text or ui_language() != "zh":
        return text
    from graph.messages import layer_words, localize

    return localize(text, "zh", layer_words())
