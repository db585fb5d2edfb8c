"""PySide6 regression guard: void Qt calls must not leak (or drop) references to None.

PySide6 6.12.0 on Python 3.11 decrements None's refcount on every void call (see pyproject's pin);
after enough calls the interpreter crashes. Here ~100k void calls must leave the count steady.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem, QLabel

pytestmark = pytest.mark.gui


def test_void_calls_keep_the_refcount_of_none(qapp):
    item, text, label = QGraphicsRectItem(0, 0, 10, 10), QGraphicsSimpleTextItem(), QLabel()
    point = QPointF(1.0, 2.0)
    for _ in range(1000):  # warm up caches
        item.setPos(point)
    before = sys.getrefcount(None)
    for _ in range(35_000):
        item.setPos(point)
        text.setText("x")
        label.setText("y")
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references over ~100k void calls"
    assert after <= before + 1000, f"None gained {after - before} references over ~100k void calls"
