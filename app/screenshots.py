"""Regenerate the README's screenshots (offscreen): ``python -m app.screenshots [OUT_DIR]``.

Takes the editor on two examples (one with a layer selected and the code dock showing the lines
it produced in both frameworks) and the training panel in the middle of real training runs, in
English (light) and again in Chinese and in the dark theme (``editor_zh_dark.png``, ``training_zh.png`` …).
The ``ui/language`` and ``theme`` settings are set for each variant and put back afterwards.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "resources" / "examples"
DEFAULT_OUT = ROOT / "resources" / "screenshots"
MAX_BYTES = 400_000  # a README image above this is saved downscaled
# (suffix, ui/language, theme): the English light set keeps the plain names (editor.png, training.png …).
VARIANTS = (("", "en", "light"), ("_zh", "zh_CN", "light"), ("_dark", "en", "dark"), ("_zh_dark", "zh_CN", "dark"))
KEYS = ("ui/language", "theme")


def _settle(seconds: float = 0.3) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


@contextmanager
def ui_settings(lang: str, theme: str):
    """The UI in ``lang`` and ``theme`` (the settings LayerLab starts with), the user's settings restored after."""
    from PySide6.QtCore import QSettings

    from app import i18n
    from app.cli_gui import create_app

    settings = QSettings("LayerLab", "LayerLab")
    saved = {key: settings.value(key) for key in KEYS if settings.contains(key)}
    settings.setValue("ui/language", lang)
    settings.setValue("theme", theme)
    settings.sync()
    app = create_app()
    i18n.install_translator(app, lang)
    app._layerlab_theme.set_mode(theme)
    _settle(0.1)
    try:
        yield
    finally:
        for key in KEYS:
            if key in saved:
                settings.setValue(key, saved[key])
            else:
                settings.remove(key)
        settings.sync()
        app._layerlab_theme.mode = str(saved.get("theme", "auto"))
        app._layerlab_theme.apply()
        i18n.install_translator(app)


def save(window, path: Path) -> None:
    """Grab ``window`` into ``path``, downscaled (to at most 3/4, then 1/2) when the PNG is too large."""
    from PySide6.QtCore import Qt

    image = window.grab().toImage()
    image.save(str(path))
    for scale in (0.75, 0.5):
        if path.stat().st_size <= MAX_BYTES:
            break
        smaller = image.scaledToWidth(int(image.width() * scale), Qt.TransformationMode.SmoothTransformation)
        smaller.save(str(path))


def _window(example: str, bottom: int = 360):
    """The default window on ``example`` at 1600×1000, the bottom docks ``bottom`` px high, the whole model in view."""
    from PySide6.QtCore import Qt

    from app.cli_gui import build_window

    window, error = build_window(None, autosave=False, interactive=False)
    if error:
        raise SystemExit(error)
    window.open_example(EXAMPLES / f"{example}.json")  # an untitled copy: runs go to a temporary folder
    window.resize(1600, 1000)
    window.show()
    _settle()
    window.resizeDocks([window.docks["training"]], [bottom], Qt.Orientation.Vertical)
    _settle()
    window.view.fit_all(readable=False)  # a picture of the whole model
    return window


def editor_shots(out: Path, suffix: str = "", code_shot: bool = True) -> None:
    window = _window("two_branch")
    save(window, out / f"editor{suffix}.png")
    window.close()
    if not code_shot:
        return
    window = _window("residual_block")
    node = window.doc.graph.find_by_name("conv_a")
    window.doc.set_selection([node.id])
    code = window.docks.get("code")
    if code is not None:
        code.show()
        code.raise_()
    _settle(0.8)
    save(window, out / f"editor_code{suffix}.png")
    window.close()


def training_shot(out: Path, example: str, name: str, framework: str, seconds: float, tab: str, epochs: int) -> None:
    """The training dock during a real run, ``tab`` (a dock attribute: ``plots``, ``boundary``) in front."""

    window = _window(example, bottom=560)
    window.doc.set_setup("framework", framework)
    window.doc.set_setup("epochs", epochs)
    dock = window.docks["training"]
    dock.show()
    dock.raise_()
    dock.tabs.setCurrentIndex(dock.tabs.indexOf(getattr(dock, tab)))
    _settle()
    dock.train()
    _settle(seconds)
    save(window, out / name)
    dock.shutdown()
    window.doc.undo_stack.setClean()  # the setup edits above are not the user's: no save prompt
    window.close()


def _run_inspected(window, framework: str, epochs: int, seconds: float, until=None) -> None:
    """Train the window's project with Inspect checked for ``seconds`` (or until ``until()``)."""
    window.doc.set_setup("framework", framework)
    window.doc.set_setup("epochs", epochs)
    dock = window.docks["training"]
    dock.show()
    dock.raise_()
    dock.inspect.setChecked(True)
    dock.tabs.setCurrentWidget(dock.inside)
    _settle()
    dock.train()
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (until and until()):
        _settle(0.2)
    _settle(0.6)


def _finish(window) -> None:
    window.docks["training"].shutdown()
    window.doc.undo_stack.setClean()
    window.close()


def teaching_shots(out: Path, suffix: str = "", lang: str = "en") -> None:
    """The teaching views during real runs: thumbnails and the Inside tab, the kernel view, gradient
    flow in the vanishing-gradient lesson, the playground, a recurrent layer against its characters."""
    window = _window("small_cnn", bottom=470)
    window.doc.set_selection([window.doc.graph.find_by_name("conv1").id])
    _run_inspected(window, "pytorch", 40, 9.0)
    window.view.fit_all(readable=False)
    _settle(0.3)
    save(window, out / f"teaching{suffix}.png")
    inside = window.docks["training"].inside
    inside.position = (3, 4, 5)
    inside._draw_kernel(window.doc.graph.find_by_name("conv1"))
    inside.tabs.setCurrentIndex(1)
    _settle(0.3)
    save(window, out / f"teaching_kernel{suffix}.png")
    _finish(window)
    if suffix:
        return
    from graph.lessons import VANISHING

    window = _window("small_cnn", bottom=470)
    window.show_lesson(VANISHING.key)
    window.doc.set_selection([window.doc.graph.find_by_name("hidden1").id])
    _run_inspected(window, "pytorch", 30, 8.0)
    window.docks["training"].inside.tabs.setCurrentIndex(2)
    _settle(0.4)
    save(window, out / "teaching_gradients.png")
    _finish(window)
    window = _window("spiral", bottom=560)
    _run_inspected(window, "pytorch", 300, 10.0)
    inside = window.docks["training"].inside
    inside.tabs.setCurrentWidget(window.docks["training"].playground)
    _settle(0.4)
    save(window, out / "playground.png")
    _finish(window)
    window = _window("char_lstm", bottom=470)
    window.doc.set_selection([window.doc.graph.find_by_name("lstm").id])
    dock = window.docks["training"]
    _run_inspected(window, "pytorch", 1, 40.0, until=lambda: bool(dock.inside.inspections))
    _settle(0.5)
    save(window, out / "teaching_rnn.png")
    _finish(window)


def reference_shot(out: Path, suffix: str = "") -> None:
    window = _window("small_cnn")
    window.doc.set_selection([window.doc.graph.find_by_name("conv1").id])
    dialog = window.show_layer_reference()
    dialog.resize(980, 700)
    _settle(1.0)
    save(dialog, out / f"layer_reference{suffix}.png")
    dialog.close()
    window.close()


def blocks_shot(out: Path, suffix: str = "") -> None:
    """A model built from bundled blocks: a residual block (collapsed to one card) and an SE block."""
    from graph.blocks import bundled_blocks, insert_block
    from graph.layout import layered_positions
    from graph.project import Project

    project = Project()
    project.meta["title"] = "Digits with blocks"
    g = project.graph
    image = g.add_node("input.image", {"channels": 1, "height": 8, "width": 8}, "images")
    conv = g.add_node("conv2d", {"filters": 16, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}, "stem")
    g.connect(image.id, "out", conv.id, "in")
    last, groups = conv.id, []
    shelf = {e.key: e for e in bundled_blocks()}
    for key in ("residual", "se"):
        groups.append(insert_block(g, shelf[f"bundled:{key}"], last, 16))
        last = groups[-1].outputs[0][0]
    for type_id, params, name in (
        ("global_avg_pool", {}, "pool"),
        ("dense", {"units": 10}, "scores"),
        ("output.classification", {}, "digit"),
    ):
        node = g.add_node(type_id, params, name)
        g.connect(last, "out", node.id, "in")
        last = node.id
    for nid, pos in layered_positions(g, max_columns=12).items():
        g.move(nid, pos)
    window = _window("small_cnn", bottom=240)
    window.doc.replace_project(project, None)
    _settle(0.3)
    window.doc.set_group_collapsed(groups[0].id, True)
    window.doc.set_selection([])
    _settle(0.5)
    window.view.fit_all(readable=False)
    _settle(0.3)
    save(window, out / f"blocks{suffix}.png")
    window.doc.undo_stack.setClean()
    window.close()


def main(argv: list[str]) -> int:
    only_new = "--new" in argv  # only the blocks and teaching views
    argv = [a for a in argv if a != "--new"]
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    for suffix, lang, theme in VARIANTS:
        with ui_settings(lang, theme):
            if suffix in ("", "_zh"):
                blocks_shot(out, suffix)
                teaching_shots(out, suffix, lang)
            if suffix in ("", "_zh_dark"):
                reference_shot(out, suffix)
    if only_new:
        print(f"screenshots written to {out}")
        return 0
    for suffix, lang, theme in VARIANTS:
        with ui_settings(lang, theme):
            editor_shots(out, suffix, code_shot=not suffix)  # the code view once, in English
            if theme == "light":  # the training panel in each language
                training_shot(out, "digits_mlp", f"training{suffix}.png", "pytorch", 10.0, "plots", epochs=150)
            if not suffix:
                training_shot(out, "spiral", "boundary.png", "pytorch", 8.0, "boundary", epochs=200)
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
