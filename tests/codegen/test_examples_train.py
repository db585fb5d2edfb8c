"""Every example trains to the metric the README documents for it, in both frameworks.

The table between the ``examples-table`` markers in README.md is the source: a row names the example,
the metric (test accuracy or test loss) and the documented bound (≥ for accuracy, ≤ for loss). Each
run is the generated script in a child process (one thread, like one of the suite's two workers) with the
example's defaults on its bundled data.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from codegen_helpers import EXAMPLES, ROOT, example

from codegen import generate

pytestmark = [pytest.mark.frameworks, pytest.mark.slow]


def documented() -> dict[str, tuple[str, str, float]]:
    """{example: (event field, '≥' or '≤', bound)} from README.md's examples table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- examples-table -->")[1].split("<!-- /examples-table -->")[0]
    rows = {}
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        name, metric, bound = cells[0].strip("`"), cells[3], cells[4]
        op, value = re.match(r"([≥≤])\s*([\d.]+)", bound).groups()
        rows[name] = ("test_loss" if metric.startswith("test loss") else "test_accuracy", op, float(value))
    return rows


DOCUMENTED = documented()


def test_the_table_lists_every_trainable_example():
    from codegen_helpers import EXAMPLE_NAMES

    # MNIST needs the Keras cache (online); a GAN has no test metric (tests/codegen/test_gan.py measures it).
    assert set(DOCUMENTED) == {n for n in EXAMPLE_NAMES if not n.startswith("gan_")} - {"mnist_mlp"}


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_example_reaches_its_documented_metric(name, framework, tmp_path):
    field, op, bound = DOCUMENTED[name]
    script = tmp_path / "train.py"
    script.write_text(generate(example(name), framework, str(EXAMPLES)).source, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, str(script), "--out", str(tmp_path / "out"), "--progress", "jsonl", "--device", "cpu"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    value = events[-1][field]
    assert value >= bound if op == "≥" else value <= bound, f"{name} ({framework}): {field} {value:.4f}, {op} {bound}"
