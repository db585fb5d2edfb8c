"""Lint and architecture contracts are part of the test suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def test_ruff_is_clean():
    proc = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_source_tree_is_ruff_formatted():
    proc = subprocess.run([_tool("ruff"), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_contracts_hold():
    proc = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_load_refuses_code():
    """np.load, torch.load and Keras' load_model always say allow_pickle=False / weights_only=True / safe_mode=True."""
    import re

    root = Path(__file__).resolve().parents[1]
    rules = {
        r"np\.load\(": "allow_pickle=False",
        r"torch\.load\(": "weights_only=True",
        r"load_model\(": "safe_mode=True",
    }
    found = 0
    sources = ("app/**/*.py", "codegen/**/*.py", "codegen/templates/**/*.j2", "graph/**/*.py")  # .j2: the scripts
    for path in [path for pattern in sources for path in root.glob(pattern)]:
        for line in path.read_text(encoding="utf-8").splitlines():
            for pattern, needed in rules.items():
                if re.search(pattern, line) and not line.lstrip().startswith("#"):
                    found += 1
                    assert needed in line, f"{path.relative_to(root)}: {line.strip()}"
    assert found >= 8
