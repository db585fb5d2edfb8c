"""verify covers the training path: data preparation, targets against outputs, loss and gradients.

The dense-output models of the report (autoencoder, FCN, U-Net) were verified forward-equal while the
Keras script trained them against channels-first targets; these tests keep that from coming back.
"""

from __future__ import annotations

import pytest
from dense_models import autoencoder, fcn, unet

from codegen import generate
from codegen.verify import verify

pytestmark = pytest.mark.frameworks

FIXED = "        y = np.moveaxis(y, 1, -1)  # channels last, like the Keras model's output\n"


@pytest.mark.parametrize(
    "build", [autoencoder, fcn, unet, lambda: unet(classes=3)], ids=["autoencoder", "fcn_c2", "unet", "unet_seg"]
)
def test_dense_models_verify_forward_and_training_path(build):
    report = verify(build())
    assert report.ok, report.text()
    names = [c.name for c in report.checks]
    assert "loss on the batch" in names and "parameter gradients" in names


@pytest.mark.parametrize("build", [autoencoder, fcn, unet], ids=["autoencoder", "fcn_c2", "unet"])
def test_verify_fails_on_channels_first_keras_targets(build):
    """The Keras bug as it was: targets reshaped to (C, H, W) for a model that outputs (H, W, C)."""
    project = build()
    keras = generate(project, "tensorflow").source
    assert FIXED in keras
    report = verify(project, sources={"tensorflow": keras.replace(FIXED, "")})
    assert not report.ok
    failed = [c for c in report.checks if not c.ok]
    assert failed[0].name == "keras targets fit the output", report.text()
    assert "needs targets of shape" in failed[0].detail
