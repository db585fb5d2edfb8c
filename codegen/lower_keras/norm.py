"""Keras lowerings of the normalisation layers."""

from __future__ import annotations

import numpy as np

from codegen.backend import Ctx, Rendered
from codegen.emitter import Step
from codegen.lower_keras._common import _one, lower
from codegen.pyfmt import lit
from graph.layers.norm import norm_channel_axis


def _batch_norm_weights(step: Step, w: dict) -> list:
    return [w["weight"], w["bias"], w["running_mean"], w["running_var"]]


@lower("batch_norm", weights=_batch_norm_weights)
def _batch_norm(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    momentum = round(1.0 - p["momentum"], 10)  # Keras keeps `momentum` of the old statistics
    return _one(step, "BatchNormalization", axis="-1", momentum=lit(momentum), epsilon=lit(p["epsilon"]))


def _layer_norm_weights(step: Step, w: dict) -> list:
    gamma, beta = w["weight"], w["bias"]
    if gamma.ndim > 1:  # (C, H, W) -> (H, W, C): Keras normalises the channels-last tensor
        gamma, beta = np.moveaxis(gamma, 0, -1), np.moveaxis(beta, 0, -1)
    return [gamma, beta]


@lower("layer_norm", weights=_layer_norm_weights)
def _layer_norm(step: Step, ctx: Ctx) -> Rendered:
    t = step.t
    axis = "-1" if not t.channels_first else lit(list(range(1, t.rank)))
    return _one(step, "LayerNormalization", axis=axis, epsilon=lit(step.params["epsilon"]))


def _group_norm_weights(step: Step, w: dict) -> list:
    return [w["weight"], w["bias"]]  # γ, β per channel (the channels are last in Keras storage)


@lower("group_norm", weights=_group_norm_weights)
def _group_norm(step: Step, ctx: Ctx) -> Rendered:
    """Contiguous channel groups, statistics per sample over the group and every position, like nn.GroupNorm."""
    p = step.params
    return _one(step, "GroupNormalization", groups=lit(p["groups"]), axis="-1", epsilon=lit(p["epsilon"]))


@lower("instance_norm", weights=_group_norm_weights)
def _instance_norm(step: Step, ctx: Ctx) -> Rendered:
    """One group per channel is instance normalisation: the sample's own statistics, in training and inference."""
    t, p = step.t, step.params
    channels = t.dims[norm_channel_axis(t)]
    return _one(step, "GroupNormalization", groups=lit(channels), axis="-1", epsilon=lit(p["epsilon"]))
