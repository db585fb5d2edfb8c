"""The generated hostile corpus (bench/hostile_corpus.py): no traceback, no hang, no wrong acceptance."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.hostile_corpus import run


@pytest.mark.slow
def test_hostile_corpus_gives_no_traceback_hang_or_wrong_acceptance(capsys):
    result = run(every=4)  # a quarter of the ~10,000 files, every field kind included; the bench runs all
    with capsys.disabled():
        print(f"\nhostile corpus: {result['stats']}")
    stats = result["stats"]
    assert stats["files"] > 2000 and stats["refused"] > 1000
    assert result["failures"] == [], result["failures"][:20]
