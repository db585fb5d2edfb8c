"""Compute and memory costs of an analysed graph: FLOPs and activation memory per layer and in total.

Pure functions over an :class:`~graph.analysis.Analysis` (the shapes must be known); nothing here
imports Qt or a framework. Every number is for **one sample** of a **forward pass** at inference;
the memory of a batch is the per-sample figure times the batch size.

Conventions (FLOPs)
-------------------
* A multiply-add counts as **2 FLOPs**; a lone addition, multiplication, comparison or function
  evaluation (exp, tanh, …) as 1.
* **Dense**: ``positions × (2·F_in·units + units if bias)``, where positions is 1 for a vector and T
  for a sequence; an activation other than linear adds one per output element.
* **Convolutions** (Conv1D/2D/3D): ``out_elements × 2·(C_in/groups)·k`` plus one per output element
  for the bias (k: the kernel's element count). **Depthwise**: ``out_elements × 2·k`` (+ bias).
  **Separable**: the depthwise part (``C_in·multiplier`` maps at the output's spatial size, 2·k each)
  plus the 1×1 pointwise part (``spatial × filters × 2·C_in·multiplier``) plus the filters' bias.
  **Transposed**: each input element meets ``filters × k`` weights: ``2·in_elements·filters·k``
  (+ bias per output element).
* **Pooling**: one FLOP per window element per output element (``out_elements × pool``); global
  pooling one per input element. Upsampling: nearest copies (0); bilinear blends 4 neighbours
  (8 per output element).
* **Normalisation**: BatchNorm is a folded scale and shift at inference (2 per element);
  LayerNorm, GroupNorm and InstanceNorm compute their statistics per sample: mean 1, centring 1,
  squared deviation 2, scale and shift 2 (6 per element).
* **Recurrent** (SimpleRNN, GRU, LSTM), per step, per direction and per stacked level:
  ``2 × (gate weights) + (gate biases)`` with gate weights ``gates·H·(F+H)``, plus the element-wise
  updates per unit: SimpleRNN 1 (the activation), GRU 8 (two sigmoids, the reset product, tanh and
  ``(1−z)·n + z·h``), LSTM 9 (three sigmoids and tanh, ``c = f·c + i·g``, ``h = o·tanh(c)``);
  times the steps T.
* **Multi-head attention** (query T×E, keys/values S×E_v): the projections
  ``2·T·E·E`` (query) + ``2·2·S·E_v·E`` (key, value) + ``2·T·E·E`` (output) plus their biases,
  the scores ``Q·Kᵀ`` (``2·T·S·E`` over all heads) and the weighted sum of the values (``2·T·S·E``);
  the softmax and the 1/√d scaling are not counted.
* **Activations** (ReLU … Softmax) count one per output element; **merges** (Add, Multiply,
  Maximum, Minimum) ``(inputs − 1)`` per output element, Subtract one, Average one more for the
  division; Concatenate, reshapes, padding, cropping, Dropout (identity at inference), Embedding
  (a lookup) and Inputs 0. Learned and sinusoidal positions add one per element; Reduce one per input
  element. Output heads (the loss) are not counted.
* A layer type this table does not know, or a layer whose shapes are unknown (an error upstream),
  has no figure (``None``); totals then cover the layers that have one (``complete`` is False).

Conventions (memory)
--------------------
* The activation memory of a layer is its output elements × 4 bytes (float32; token ids are counted
  the same way), summed over its outputs, once per sample. A recurrent layer's ``state`` output is
  the last step of ``out`` when ``return_sequences`` is off and is not counted twice. Inputs count
  (their tensor is held), heads do not (they have no output). The total is the sum over layers:
  everything a training step keeps for the backward pass, weights and optimiser state excluded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from graph.analysis import Analysis
from graph.model import Graph
from graph.tensors import TensorType

BYTES_PER_ELEMENT = 4

ACTIVATIONS = frozenset(
    {"relu", "leaky_relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "silu", "softplus", "relu6"}
    | {"hard_swish", "prelu"}
)
FREE = frozenset(
    {"flatten", "reshape", "permute", "dropout", "zero_padding1d", "zero_padding2d", "cropping1d", "cropping2d"}
    | {"concatenate", "embedding", "upsampling1d"}
)
POOLS = frozenset({"maxpool1d", "maxpool2d", "maxpool3d", "avgpool1d", "avgpool2d", "avgpool3d"})
ELEMENTWISE_MERGES = frozenset({"add", "multiply", "maximum", "minimum"})
# gates, bias vectors per gate (as graph/layers/recurrent.py counts them), element-wise ops per unit
RECURRENT = {"simple_rnn": (1, 1, 1), "gru": (3, 2, 8), "lstm": (4, 1, 9)}


@dataclass(frozen=True)
class LayerCost:
    """FLOPs and activation memory of one layer, per sample (``None``: unknown)."""

    node_id: str
    flops: int | None
    elements: int | None  # output elements held per sample

    @property
    def bytes(self) -> int | None:
        return None if self.elements is None else self.elements * BYTES_PER_ELEMENT

    def batch_bytes(self, batch_size: int) -> int | None:
        return None if self.elements is None else self.elements * BYTES_PER_ELEMENT * batch_size


@dataclass
class Costs:
    """Every layer's cost in the analysis order, and totals over the layers with known figures."""

    layers: dict[str, LayerCost] = field(default_factory=dict)
    batch_size: int = 1

    @property
    def flops(self) -> int:
        return sum(c.flops for c in self.layers.values() if c.flops is not None)

    @property
    def bytes(self) -> int:
        return sum(c.bytes for c in self.layers.values() if c.bytes is not None)

    @property
    def batch_bytes(self) -> int:
        return self.bytes * self.batch_size

    @property
    def complete(self) -> bool:
        return all(c.flops is not None and c.elements is not None for c in self.layers.values())


def _prod(values) -> int:
    return math.prod(int(v) for v in values)


def _kernel(params: dict, name: str, rank: int) -> int:
    value = params.get(name, 1)
    return _prod(value) if isinstance(value, (list, tuple)) else int(value) ** rank


def _main_input(inputs: dict) -> TensorType | None:
    for port in ("in", "query", "a"):
        value = inputs.get(port)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None:
            return value
    return None


def _all_inputs(inputs: dict) -> list[TensorType]:
    out = []
    for value in inputs.values():
        if isinstance(value, list):
            out.extend(v for v in value if v is not None)
        elif value is not None:
            out.append(value)
    return out


def layer_flops(type_id: str, params: dict, inputs: dict, outputs: dict) -> int | None:
    """FLOPs of one layer for one sample, from its type, parameters and input and output types.

    ``inputs`` maps input ports to a TensorType (a list for variadic ports), ``outputs`` output
    ports to a TensorType, as in an Analysis. ``None`` for a type the conventions do not cover."""
    out = outputs.get("out")
    x = _main_input(inputs)
    bias = 1 if params.get("use_bias", True) else 0
    if type_id.startswith("input."):
        return 0
    if type_id.startswith("output."):
        return 0
    if type_id in FREE:
        return 0
    if out is None or x is None:
        return None
    n_out = out.size()
    if type_id == "dense":
        units = int(params["units"])
        positions = n_out // units
        act = n_out if params.get("activation", "linear") != "linear" else 0
        return positions * (2 * x.last * units + bias * units) + act
    if type_id in ("conv1d", "conv2d", "conv3d"):
        rank = {"conv1d": 1, "conv2d": 2, "conv3d": 3}[type_id]
        groups = int(params.get("groups", 1))
        k = _kernel(params, "kernel_size", rank)
        return n_out * 2 * (x.dims[1] // groups) * k + bias * n_out
    if type_id == "depthwise_conv2d":
        return n_out * 2 * _kernel(params, "kernel_size", 2) + bias * n_out
    if type_id == "separable_conv2d":
        k, mid = _kernel(params, "kernel_size", 2), x.dims[1] * int(params["depth_multiplier"])
        spatial = _prod(out.dims[2:])
        return spatial * mid * 2 * k + spatial * int(params["filters"]) * 2 * mid + bias * n_out
    if type_id in ("conv1d_transpose", "conv2d_transpose"):
        rank = 1 if type_id == "conv1d_transpose" else 2
        k = _kernel(params, "kernel_size", rank)
        return 2 * x.size() * int(params["filters"]) * k + bias * n_out
    if type_id in POOLS:
        rank = int(type_id[-2])
        return n_out * _kernel(params, "pool_size", rank)
    if type_id in ("global_avg_pool", "global_max_pool", "reduce_mean", "reduce_max"):
        return x.size()
    if type_id == "upsampling2d":
        return 8 * n_out if params.get("interpolation") == "bilinear" else 0
    if type_id == "batch_norm":
        return 2 * n_out
    if type_id in ("layer_norm", "group_norm", "instance_norm"):
        return 6 * n_out
    if type_id in RECURRENT:
        return _recurrent_flops(type_id, params, x)
    if type_id == "multi_head_attention":
        return _attention_flops(params, inputs)
    if type_id in ACTIVATIONS or type_id in ("positional_embedding", "sinusoidal_position", "subtract"):
        return n_out
    if type_id in ELEMENTWISE_MERGES:
        return (len(_all_inputs(inputs)) - 1) * n_out
    if type_id == "average":
        return len(_all_inputs(inputs)) * n_out
    return None


def _recurrent_flops(type_id: str, params: dict, x: TensorType) -> int:
    gates, biases, elementwise = RECURRENT[type_id]
    h, steps = int(params["units"]), x.dims[1]
    dirs = 2 if params.get("bidirectional") else 1
    f, per_step = x.last, 0
    for _ in range(int(params.get("num_layers", 1))):
        weights = gates * h * (f + h)
        per_step += dirs * (2 * weights + biases * gates * h + elementwise * h)
        f = h * dirs
    return steps * per_step


def _attention_flops(params: dict, inputs: dict) -> int:
    q = inputs["query"]
    v = inputs.get("value") or q
    t, e, s, ev = q.dims[1], q.last, v.dims[1], v.last
    bias = 1 if params.get("use_bias", True) else 0
    projections = 2 * t * e * e + 2 * 2 * s * ev * e + 2 * t * e * e + bias * (2 * t * e + 2 * s * e)
    scores = 2 * t * s * e
    weighted = 2 * t * s * e
    return projections + scores + weighted


def output_elements(type_id: str, params: dict, outputs: dict) -> int:
    """Elements held per sample for a layer's outputs (see the memory conventions)."""
    total = 0
    for port, t in outputs.items():
        if port == "state" and type_id in RECURRENT and not params.get("return_sequences"):
            continue  # the same tensor as ``out``
        total += t.size()
    return total


def layer_cost(graph: Graph, analysis: Analysis, node_id: str) -> LayerCost:
    """The cost of one node of an analysed graph."""
    node, spec = graph.node(node_id), graph.spec(node_id)
    params = {**spec.defaults(), **node.params}
    if spec.is_head:
        return LayerCost(node_id, 0, 0)
    outputs = analysis.shapes.get(node_id)
    if not outputs:
        return LayerCost(node_id, None, None)
    inputs = analysis.inputs.get(node_id, {})
    try:
        flops = layer_flops(spec.type_id, params, inputs, outputs)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError, AttributeError):
        flops = None  # parameters the conventions cannot read: no figure rather than a wrong one
    try:
        elements = output_elements(spec.type_id, params, outputs)
    except (TypeError, AttributeError):
        elements = None
    return LayerCost(node_id, flops, elements)


def compute_costs(graph: Graph, analysis: Analysis, batch_size: int = 1) -> Costs:
    """Every node's cost, in the analysis order, with the batch size for the batch memory."""
    order = analysis.order or graph.node_ids()
    layers = {nid: layer_cost(graph, analysis, nid) for nid in order if nid in graph}
    return Costs(layers, max(1, int(batch_size)))


def format_flops(n: int | None) -> str:
    """``1234567`` → ``1.23 M``; ``None`` → ``?``."""
    if n is None:
        return "?"
    for factor, unit in ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "K")):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return str(n)


def format_bytes(n: int | None) -> str:
    """``4096`` → ``4 KiB``; ``None`` → ``?``."""
    if n is None:
        return "?"
    for factor, unit in ((2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} B"


__all__ = [
    "BYTES_PER_ELEMENT",
    "Costs",
    "LayerCost",
    "compute_costs",
    "format_bytes",
    "format_flops",
    "layer_cost",
    "layer_flops",
    "output_elements",
]
