"""Regenerate the README's screenshots (offscreen): ``python -m app.screenshots [OUT_DIR]``.

Takes the editor on two examples (one with a layer selected and the code dock showing the lines
it produced in both frameworks) and the training panel in the middle of real training runs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "resources" / "examples"
DEFAULT_OUT = ROOT / "resources" / "screenshots"


def _settle(seconds: float = 0.3) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def _window(example: str):
    from app.cli_gui import build_window

    window, error = build_window(None, autosave=False, interactive=False)
    if error:
        raise SystemExit(error)
    window.open_example(EXAMPLES / f"{example}.json")  # an untitled copy: runs go to a temporary folder
    window.resize(1600, 1000)
    window.show()
    _settle()
    window.view.fit_all()
    return window


def editor_shots(out: Path) -> None:
    window = _window("two_branch")
    window.grab().save(str(out / "editor.png"))
    window.close()
    window = _window("residual_block")
    node = window.doc.graph.find_by_name("conv_a")
    window.doc.set_selection([node.id])
    code = window.docks.get("code")
    if code is not None:
        code.show()
        code.raise_()
    _settle(0.8)
    window.grab().save(str(out / "editor_code.png"))
    window.close()


def training_shot(out: Path, example: str, name: str, framework: str, seconds: float, tab: str, epochs: int) -> None:
    from PySide6.QtCore import Qt

    window = _window(example)
    window.doc.set_setup("framework", framework)
    window.doc.set_setup("epochs", epochs)
    dock = window.docks["training"]
    dock.show()
    dock.raise_()
    dock.tabs.setCurrentIndex([dock.tabs.tabText(i) for i in range(dock.tabs.count())].index(tab))
    window.resizeDocks([dock], [560], Qt.Orientation.Vertical)
    _settle()
    dock.train()
    _settle(seconds)
    window.grab().save(str(out / name))
    dock.shutdown()
    window.doc.undo_stack.setClean()  # the setup edits above are not the user's: no save prompt
    window.close()


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    editor_shots(out)
    training_shot(out, "digits_mlp", "training.png", "pytorch", 10.0, "Curves", epochs=150)
    training_shot(out, "spiral", "boundary.png", "pytorch", 8.0, "Boundary", epochs=200)
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
