"""Every catalog layer alone, with its parameter variants, passes verify (both models in one process).

The cases come from the catalog (``catalog_cases``): a new layer type is checked here without being
named. verify compares the parameter counts and output shapes with the real PyTorch and Keras layers,
the forward pass (1e-4), the training targets, the loss and every parameter's gradient.
"""

from __future__ import annotations

import pytest
from catalog_cases import case_id, cases, project_for
from codegen_helpers import EXAMPLE_NAMES, EXAMPLES, example

from graph.catalog import default_catalog

pytestmark = pytest.mark.frameworks

CASES = cases()


@pytest.mark.parametrize("type_id,kind,params", CASES, ids=[case_id(c) for c in CASES])
def test_layer_alone_verifies(type_id, kind, params):
    from codegen.verify import verify

    report = verify(project_for(default_catalog()[type_id], params, kind))
    assert report.ok, report.text()


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_examples_verify(name):
    """Forward pass and training path, on a batch of the example's own bundled data (MNIST: synthetic)."""
    from codegen.verify import verify

    report = verify(example(name), str(EXAMPLES))
    assert report.ok, report.text()
    if name.startswith("gan_"):  # a GAN's own checks: tests/codegen/test_gan.py
        return
    data = next(c for c in report.checks if c.name == "training data")
    assert name == "mnist_mlp" or "synthetic" not in data.detail, data.detail  # MNIST: only if cached
