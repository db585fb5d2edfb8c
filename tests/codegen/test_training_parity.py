"""From the same initial weights and data order, 20 SGD steps give the same losses in both frameworks.

Uses the generated scripts' own loss and optimiser definitions (no dropout in these models).
"""

from __future__ import annotations

import numpy as np
import pytest
from codegen_helpers import chain, example

pytestmark = pytest.mark.frameworks


def _parity(project, steps=20, batch=16, lr=0.05, seed=0):
    import torch

    from codegen.api import generate
    from codegen.verify import build_models, exec_source, sample_inputs, to_keras_layout
    from codegen.weights import copy_torch_to_keras

    project.setup.update(optimizer="sgd", learning_rate=lr, momentum=0.9)
    torch.manual_seed(seed)
    plan, tmodel, kmodel = build_models(project)
    copy_torch_to_keras(plan, tmodel, kmodel)
    tns = exec_source(generate(project, "pytorch").source, "<parity torch>")
    kns = exec_source(generate(project, "tensorflow").source, "<parity keras>")
    kmodel.compile(optimizer=kns["make_optimizer"](lr), loss=kns["LOSS"])
    optimizer = tns["make_optimizer"](tmodel, lr)
    rng = np.random.default_rng(seed)
    x = sample_inputs(plan, steps * batch, seed)
    classes = plan.output_type.last
    y = rng.integers(0, classes, size=(steps * batch, *plan.output_type.features[:-1])).astype("int64")
    tmodel.train()
    losses = []
    for i in range(steps):
        xb, yb = x[i * batch : (i + 1) * batch], y[i * batch : (i + 1) * batch]
        loss = tns["compute_loss"](tmodel(torch.as_tensor(xb)), torch.as_tensor(yb))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        k_loss = kmodel.train_on_batch(to_keras_layout(xb, plan.input_step.out), yb)
        losses.append((loss.item(), float(np.asarray(k_loss).reshape(-1)[0])))
    return np.array(losses)


@pytest.mark.parametrize("name", ["digits_mlp", "residual_block", "two_branch", "char_lstm"])
def test_twenty_sgd_steps_match(name):
    losses = _parity(example(name))
    np.testing.assert_allclose(losses[:, 1], losses[:, 0], rtol=1e-4)


def test_gru_and_bidirectional_lstm_train_alike():
    project = chain(
        [
            ("input.tokens", {"steps": 6, "vocab_size": 9}),
            ("embedding", {"input_dim": 9, "output_dim": 5}),
            ("lstm", {"units": 4, "return_sequences": True, "bidirectional": True}),
            ("gru", {"units": 4}),
            ("dense", {"units": 3}),
        ],
        head="output.classification",
    )
    losses = _parity(project)
    np.testing.assert_allclose(losses[:, 1], losses[:, 0], rtol=1e-4)
