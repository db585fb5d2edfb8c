"""The ``open`` sub-command: start the editor, or render the window to a PNG (``--screenshot``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli import EXIT_OK, EXIT_UNREADABLE, command

DEFAULT_EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "examples" / "digits_mlp.json"
SCREENSHOT_SIZE = (1600, 1000)


def _open_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", help="a LayerLab project (.json); default: the digits example")
    p.add_argument("--screenshot", metavar="OUT.png", help="render the main window to a PNG and exit")


def _import_before_qt() -> None:
    """The Qt-free packages the editor needs, imported before PySide6 is: PySide6's import hook reads the
    source of every module imported after it (looking for "PySide6" in it), and networkx alone has about
    300 modules. Here rather than at the top, so the headless commands do not pay for it."""
    import codegen  # noqa: F401
    import graph.analysis
    import graph.fileformat  # noqa: F401


def create_app(argv: list[str] | None = None):
    """The QApplication with LayerLab's names, translators, fonts and theme (created once)."""
    _import_before_qt()
    from PySide6.QtWidgets import QApplication

    from app.i18n import install_translator
    from app.theme import ThemeManager, apply_fonts

    app = QApplication.instance()
    if app is None:
        QApplication.setOrganizationName("LayerLab")
        QApplication.setApplicationName("LayerLab")
        app = QApplication(argv or [sys.argv[0]])
    install_translator(app)
    apply_fonts(app)
    if not hasattr(app, "_layerlab_theme"):
        app._layerlab_theme = ThemeManager(app, app)
    return app


def build_window(path: str | None, autosave: bool = True, interactive: bool = True, remember_layout=None):
    """A MainWindow on ``path`` (or the default example). Returns (window, error message or None).

    Not ``interactive``: a file that fails to load is reported in the returned message, not a dialog.
    ``remember_layout`` (default: ``interactive``): the window restores and saves its geometry and dock
    layout; screenshots start from the default layout and leave the user's saved one alone.
    """
    from app.main_window import MainWindow

    app = create_app()
    remember = interactive if remember_layout is None else bool(remember_layout)
    window = MainWindow(theme=app._layerlab_theme, autosave=autosave, remember_layout=remember)
    problems: list[str] = []
    if not interactive:
        window.show_error = lambda title, message: problems.append(message)
    if path:
        if not window.open_file(path, ask=False):
            return window, problems[0] if problems else f"cannot open {path}"
    elif DEFAULT_EXAMPLE.exists():
        window.open_example(DEFAULT_EXAMPLE)
    return window, None


def screenshot(window, out: str, size=SCREENSHOT_SIZE) -> bool:
    """Show the window at a fixed size, let analysis and layout settle, fit and grab it to ``out``."""
    from PySide6.QtWidgets import QApplication

    window.resize(*size)
    window.show()
    for _ in range(3):
        QApplication.processEvents()
    window.view.fit_all(readable=False)  # a picture of the whole model
    QApplication.processEvents()
    return window.grab().save(out)


@command("open", "open the editor on a project (default: the digits example)", _open_args)
def cmd_open(args: argparse.Namespace) -> int:
    file, shot = getattr(args, "file", None), getattr(args, "screenshot", None)
    if shot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_app()
    from app.main_window import DockLoadError

    try:
        window, problem = build_window(file, autosave=not shot, interactive=not shot)
    except DockLoadError as err:  # a broken install: say which module, in a dialog too when interactive
        print(f"error: LayerLab cannot start: {err}", file=sys.stderr)
        if not shot:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "LayerLab cannot start", f"LayerLab cannot start: {err}")
        return EXIT_UNREADABLE
    if shot:
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_UNREADABLE
        ok = screenshot(window, shot)
        window.doc.undo_stack.setClean()
        window.close()
        return EXIT_OK if ok else EXIT_UNREADABLE
    window.show()
    window.check_recovery()
    return app.exec()


__all__ = ["build_window", "cmd_open", "create_app", "screenshot"]
