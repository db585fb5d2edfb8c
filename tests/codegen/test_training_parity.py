"""From the same initial weights and data order, 20 SGD steps give the same losses in both frameworks.

Every task kind, each trained through the generated scripts' own data preparation (prepare_inputs,
prepare_targets), loss and optimiser, so a target in the wrong layout or a loss that differs shows
up here. The models have no dropout; data are synthetic samples fitting the Input and the head.
"""

from __future__ import annotations

import numpy as np
import pytest
from codegen_helpers import chain, example
from dense_models import autoencoder, unet

pytestmark = pytest.mark.frameworks

MC = ("dense", {"units": 3})


def _parity(project, steps=20, batch=16, lr=0.05, seed=0):
    import torch

    from codegen.verify import build_scripts
    from codegen.verify_training import synthetic_data
    from codegen.weights import copy_torch_to_keras

    project.setup.update(optimizer="sgd", learning_rate=lr, momentum=0.9)
    torch.manual_seed(seed)
    plan, tns, kns = build_scripts(project)
    tmodel, kmodel = tns["Model"](), kns["build_model"]()
    copy_torch_to_keras(plan, tmodel, kmodel)
    weights = {"loss_weights": kns["LOSS_WEIGHTS"]} if plan.multi else {}
    kmodel.compile(optimizer=kns["make_optimizer"](lr), loss=kns["LOSS"], **weights)
    optimizer = tns["make_optimizer"](tmodel, lr)
    raw = synthetic_data(plan, project, steps * batch, seed, tns.get("Arrays"))
    tx, ty = tns["prepare_inputs"](raw["x"]), tns["prepare_targets"](raw["y"])
    kx, ky = kns["prepare_inputs"](raw["x"]), kns["prepare_targets"](raw["y"])
    tmodel.train()
    losses = []
    for i in range(steps):
        part = slice(i * batch, (i + 1) * batch)
        if plan.multi:  # named arrays: keyword inputs for PyTorch, dicts for Keras
            xb = {k: torch.as_tensor(v) for k, v in tx[part].items()}
            yb = tns["Arrays"]({k: torch.as_tensor(v) for k, v in ty[part].items()})
            loss = tns["compute_loss"](tmodel(**xb), yb)
        else:
            loss = tns["compute_loss"](tmodel(torch.as_tensor(tx[part])), torch.as_tensor(ty[part]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        kb = (dict(kx[part]), dict(ky[part])) if plan.multi else (kx[part], ky[part])
        k_loss = kmodel.train_on_batch(*kb)
        losses.append((loss.item(), float(np.asarray(k_loss).reshape(-1)[0])))
    return np.array(losses)


def _tokens(steps=7, vocab=11):
    return [
        ("input.tokens", {"steps": steps, "vocab_size": vocab}),
        ("embedding", {"input_dim": vocab, "output_dim": 5}),
    ]


TASKS = {
    "multiclass_vector": lambda: chain(
        [("input.vector", {"features": 6}), ("dense", {"units": 8, "activation": "relu"}), MC], "output.classification"
    ),
    "multiclass_image": lambda: chain(
        [
            ("input.image", {"channels": 2, "height": 6, "width": 5}),
            ("conv2d", {"filters": 4, "kernel_size": [3, 3], "padding": [1, 1, 1, 1]}),
            ("relu", {}),
            ("flatten", {}),
            MC,
        ],
        "output.classification",
    ),
    "multiclass_sequence": lambda: chain(
        [("input.sequence", {"steps": 5, "features": 4}), ("lstm", {"units": 6}), MC], "output.classification"
    ),
    "multiclass_signal": lambda: chain(
        [
            ("input.signal", {"channels": 2, "length": 12}),
            ("conv1d", {"filters": 4, "kernel_size": 3}),
            ("relu", {}),
            ("global_avg_pool", {}),
            MC,
        ],
        "output.classification",
    ),
    "text_to_one_tokens": lambda: chain([*_tokens(), ("gru", {"units": 6}), MC], "output.classification"),
    "per_step_language_model": lambda: chain(
        [*_tokens(), ("lstm", {"units": 6, "return_sequences": True}), ("dense", {"units": 11})],
        "output.classification",
    ),
    "label_smoothing": lambda: _smoothed(),
    "binary": lambda: chain(
        [("input.vector", {"features": 2}), ("dense", {"units": 8, "activation": "tanh"}), ("dense", {"units": 1})],
        "output.binary",
    ),
    "multilabel": lambda: chain(
        [("input.vector", {"features": 6}), ("dense", {"units": 8, "activation": "relu"}), ("dense", {"units": 4})],
        "output.multilabel",
    ),
    "regression_vector": lambda: chain(
        [("input.vector", {"features": 6}), ("dense", {"units": 8, "activation": "tanh"}), ("dense", {"units": 2})],
        "output.regression",
    ),
    "per_pixel_regression": lambda: autoencoder(size=8, channels=2),
    "masked_self_attention": lambda: _attention_block(),
    "per_pixel_classification": lambda: unet(size=8, classes=3),
}


def _attention_block():
    """Tokens → embedding + learned positions → masked causal attention → Add & LayerNorm → classes."""
    project = chain([*_tokens(), ("positional_embedding", {})], "output.classification")
    g = project.graph
    ids = next(n for n in g.nodes() if n.type == "input.tokens")
    pos = next(n for n in g.nodes() if n.type == "positional_embedding")
    head = next(n for n in g.nodes() if n.type == "output.classification")
    g.disconnect(g.in_edges(head.id)[0])
    attn = g.add_node("multi_head_attention", {"num_heads": 1, "causal": True})
    g.connect(pos.id, "out", attn.id, "query")
    g.connect(ids.id, "out", attn.id, "mask")
    add, norm, pool = g.add_node("add"), g.add_node("layer_norm"), g.add_node("global_avg_pool")
    g.connect(pos.id, "out", add.id, "in")
    g.connect(attn.id, "out", add.id, "in")
    g.connect(add.id, "out", norm.id, "in")
    g.connect(norm.id, "out", pool.id, "in")
    scores = g.add_node(*MC)
    g.connect(pool.id, "out", scores.id, "in")
    g.connect(scores.id, "out", head.id, "in")
    return project


def _smoothed():
    project = TASKS["multiclass_vector"]()
    head = next(n for n in project.graph.nodes() if n.type == "output.classification")
    project.graph.set_param(head.id, "label_smoothing", 0.1)
    return project


@pytest.mark.parametrize("task", sorted(TASKS))
def test_every_task_trains_alike_for_twenty_sgd_steps(task):
    losses = _parity(TASKS[task]())
    assert np.all(np.isfinite(losses))
    np.testing.assert_allclose(losses[:, 1], losses[:, 0], rtol=1e-4)
    assert losses[-1, 0] != losses[0, 0]  # it trained


@pytest.mark.parametrize(
    "name",
    [
        "digits_mlp",
        "residual_block",
        "two_branch",
        "unet_segmenter",
        "squeeze_excitation",
        "mobilenet_block",
        "two_input_digits",
        "multi_task_digits",
    ],
)
def test_examples_train_alike_for_twenty_sgd_steps(name):
    losses = _parity(example(name), batch=8)
    np.testing.assert_allclose(losses[:, 1], losses[:, 0], rtol=1e-4)


def test_gru_and_bidirectional_lstm_train_alike():
    project = chain(
        [
            *_tokens(6, 9),
            ("lstm", {"units": 4, "return_sequences": True, "bidirectional": True}),
            ("gru", {"units": 4}),
            ("dense", {"units": 3}),
        ],
        head="output.classification",
    )
    losses = _parity(project)
    np.testing.assert_allclose(losses[:, 1], losses[:, 0], rtol=1e-4)


def _one_case_per_layer():
    """The first catalog case of every layer type with weights (weightless ones: verify's gradients)."""
    from catalog_cases import CATALOG, cases, project_for

    from graph.analysis import analyze

    seen, out = set(), []
    for type_id, kind, params in cases():
        if type_id in seen:
            continue
        counts = analyze(project_for(CATALOG[type_id], params, kind).graph).counts
        if sum(t for t, _ in counts.values()):
            seen.add(type_id)
            out.append((type_id, kind, params))
    return out


@pytest.mark.parametrize("type_id,kind,params", _one_case_per_layer(), ids=[c[0] for c in _one_case_per_layer()])
def test_every_layer_type_trains_alike(type_id, kind, params):
    """Every layer type with weights, alone before a head, takes 5 SGD steps to the same losses in both frameworks."""
    from catalog_cases import CATALOG, project_for

    project = project_for(CATALOG[type_id], params, kind)
    for node in project.graph.nodes():  # dropout draws different masks in the two frameworks
        for name in ("rate", "dropout"):
            if name in node.params:
                project.graph.set_param(node.id, name, 0.0)
    losses = _parity(project, steps=5, batch=8, lr=0.01)
    assert np.all(np.isfinite(losses))
    np.testing.assert_allclose(losses[:, 1], losses[:, 0], rtol=1e-4, atol=1e-6)
