"""Golden files: the generated scripts of every example, byte for byte.

Regenerate after an intended change with ``LAYERLAB_REGEN_GOLDEN=1 pytest tests/codegen/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os

import pytest
from codegen_helpers import EXAMPLE_NAMES, ROOT, example

from codegen import FRAMEWORKS, generate

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_script_matches_golden(name, framework):
    source = generate(example(name), framework).source  # project_dir=None: paths stay as written
    path = GOLDEN / f"{name}_{'pytorch' if framework == 'pytorch' else 'keras'}.py"
    if os.environ.get("LAYERLAB_REGEN_GOLDEN"):
        path.write_text(source, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}; run with LAYERLAB_REGEN_GOLDEN=1"
    assert source == path.read_text(encoding="utf-8"), f"{path.name} changed; regenerate and review the diff"
