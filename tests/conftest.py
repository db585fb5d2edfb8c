"""Test-wide settings: Qt runs offscreen, frameworks stay quiet and single-threaded."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def pytest_collection_modifyitems(config, items):
    """Tests marked slow run first (stable order otherwise): under ``pytest -n 2`` a long test left for the
    end keeps one worker busy while the other idles, which cost CI minutes."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
