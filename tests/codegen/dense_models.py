"""Dense-prediction models from the training-path report: a conv autoencoder, an FCN, a tiny U-Net."""

from __future__ import annotations

from codegen_helpers import no_data_project

from graph.project import Project


def _conv(filters: int, k: int = 3) -> tuple[str, dict]:
    pad = k // 2
    return ("conv2d", {"filters": filters, "kernel_size": [k, k], "padding": [pad, pad, pad, pad]})


def _add_chain(g, prev, steps):
    for type_id, params in steps:
        node = g.add_node(type_id, params)
        if prev is not None:
            g.connect(prev, "out", node.id, "in")
        prev = node.id
    return prev


def autoencoder(size: int = 16, channels: int = 1) -> Project:
    """Conv → pool → conv → upsample → conv to ``channels`` maps, MSE against images."""
    project = no_data_project()
    g = project.graph
    _add_chain(
        g,
        None,
        [
            ("input.image", {"channels": channels, "height": size, "width": size}),
            _conv(8),
            ("relu", {}),
            ("maxpool2d", {"pool_size": [2, 2], "strides": [2, 2]}),
            _conv(8),
            ("relu", {}),
            ("upsampling2d", {"scale": [2, 2], "interpolation": "nearest"}),
            _conv(channels),
            ("sigmoid", {}),
            ("output.regression", {}),
        ],
    )
    return project


def fcn(size: int = 16, out_channels: int = 2) -> Project:
    """A small FCN with bilinear upsampling and ``out_channels`` regression maps (C = 2 in the report)."""
    project = no_data_project()
    g = project.graph
    _add_chain(
        g,
        None,
        [
            ("input.image", {"channels": 1, "height": size, "width": size}),
            _conv(6),
            ("relu", {}),
            ("maxpool2d", {"pool_size": [2, 2], "strides": [2, 2]}),
            _conv(6),
            ("relu", {}),
            ("upsampling2d", {"scale": [2, 2], "interpolation": "bilinear"}),
            _conv(out_channels, 1),
            ("output.regression", {}),
        ],
    )
    return project


def unet(size: int = 16, classes: int = 0) -> Project:
    """A tiny U-Net: one down step, one up step, a skip joined by Concatenate.

    ``classes`` = 0: one output map trained with MSE; else per-pixel class scores (segmentation)."""
    project = no_data_project()
    g = project.graph
    skip = _add_chain(
        g, None, [("input.image", {"channels": 1, "height": size, "width": size}), _conv(4), ("relu", {})]
    )
    deep = _add_chain(
        g,
        skip,
        [
            ("maxpool2d", {"pool_size": [2, 2], "strides": [2, 2]}),
            _conv(8),
            ("relu", {}),
            ("upsampling2d", {"scale": [2, 2], "interpolation": "nearest"}),
        ],
    )
    cat = g.add_node("concatenate", {"axis": 1})
    g.connect(skip, "out", cat.id, "in")
    g.connect(deep, "out", cat.id, "in")
    head = ("output.classification", {}) if classes else ("output.regression", {})
    _add_chain(g, cat.id, [_conv(4), ("relu", {}), _conv(classes or 1, 1), head])
    return project
