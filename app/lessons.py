"""The Lessons panel: a bundled lesson's steps in the UI language, with a button per project to open.

The lessons themselves (projects and steps) are framework-free data in ``graph/lessons.py``; the
projects open as untitled copies, like the examples, so a student's edits never touch the bundled file.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.i18n import ui_language
from graph.lessons import LESSONS, lesson_steps


def _tr(text: str) -> str:
    return QCoreApplication.translate("LessonDock", text)


def lesson_title(key: str) -> str:
    lesson = LESSONS[key]
    return lesson.title_zh if ui_language().startswith("zh") else lesson.title


class LessonDock(QDockWidget):
    """One lesson at a time: its title, its numbered steps, and Open buttons for its projects."""

    def __init__(self, window):
        super().__init__(_tr("Lesson"), window)
        self.setObjectName("LessonDock")
        self.window_ = window
        self.key: str | None = None
        self.title = QLabel(wordWrap=True)
        self.steps = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.steps.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.buttons = QHBoxLayout()
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addWidget(self.title)
        lay.addLayout(self.buttons)
        lay.addWidget(self.steps, 1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(body)
        self.setWidget(scroll)

    def show_lesson(self, key: str) -> None:
        self.key = key
        self.retranslate()
        self.show()
        self.raise_()

    def retranslate(self) -> None:
        self.setWindowTitle(_tr("Lesson"))
        if self.key is None:
            return
        lesson = LESSONS[self.key]
        self.title.setText(f"<h3>{lesson_title(self.key)}</h3>")
        items = "".join(f"<li style='margin-bottom: 6px'>{_html(s)}</li>" for s in lesson_steps(lesson, ui_language()))
        self.steps.setText(f"<ol>{items}</ol>")
        while self.buttons.count():
            widget = self.buttons.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for variant in lesson.variants:
            button = QPushButton(_tr("Open “{name}”").format(name=variant))
            button.clicked.connect(lambda _=False, v=variant: self.open_variant(v))
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)

    def open_variant(self, variant: str) -> bool:
        return self.window_.open_example(LESSONS[self.key].path(variant))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.LanguageChange:
            self.retranslate()


def _html(text: str) -> str:
    import html

    return html.escape(text)


__all__ = ["LessonDock", "lesson_title"]
