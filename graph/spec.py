"""Declarative layer specifications: one frozen spec per layer type.

A spec is read by the palette, the inspector, shape inference, validation, the file format,
the docs and both code backends. Adding a layer means adding one spec (here, in ``graph.layers``)
plus one renderer per code backend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.messages import message
from graph.tensors import TensorType

# Parameter kinds understood by the inspector and the file-format validator.
INT = "int"
FLOAT = "float"
BOOL = "bool"
CHOICE = "choice"
INTS = "ints"  # fixed-length list of ints (kernel sizes, strides, paddings, shapes)
STR = "str"

PARAM_KINDS = (INT, FLOAT, BOOL, CHOICE, INTS, STR)


class ShapeError(Exception):
    """Raised by a shape rule when its inputs do not fit; carries an optional suggested fix."""

    def __init__(self, message: str, fix: str | None = None, port: str | None = None, action=None):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.port = port
        self.action = action  # a graph.fixes.Fix doing ``fix`` in one click, when it is mechanical


@dataclass(frozen=True)
class Param:
    """One hyperparameter of a layer: its type, default, bounds or choices and a bilingual doc."""

    name: str
    kind: str
    default: Any
    doc: str
    doc_zh: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    length: int | None = None  # for INTS: exact length (None = any length >= 1)
    label: str = ""

    def __post_init__(self):
        if self.kind not in PARAM_KINDS:
            raise ValueError(f"param {self.name!r}: unknown kind {self.kind!r}")
        if self.kind == CHOICE and self.default not in self.choices:
            raise ValueError(f"param {self.name!r}: default {self.default!r} not in choices")
        problem = self.check(self.default)
        if problem:
            raise ValueError(f"param {self.name!r}: bad default: {problem}")

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def check(self, value: Any) -> str | None:
        """Return a message when ``value`` is not valid for this parameter, else None."""
        checker = _CHECKERS[self.kind]
        return checker(self, value)

    def validate(self, value: Any) -> tuple[Any, str | None]:
        """The one check every path uses (inspector, Document, graph, file loading, CLI):
        ``(coerced value, None)`` when ``value`` is valid, else ``(value, why it is refused)``."""
        value = self.coerce(value)
        return value, self.check(value)

    def coerce(self, value: Any) -> Any:
        """Turn an int given for a float parameter into a float; return other values unchanged."""
        if (
            self.kind == FLOAT
            and isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) <= MAX_MAGNITUDE
        ):
            return float(value)  # a larger integer stays as it is, for check() to refuse
        if self.kind == INTS and isinstance(value, tuple):
            return list(value)
        return value


# No integer in a project is larger than this, whatever its parameter says (sizes, seeds, counts):
# it keeps every later product, float conversion and message within ordinary numbers.
MAX_MAGNITUDE = 2**53


def show_number(v: float) -> str:
    """A number for a message, safe for integers of any size (no float overflow, no digit limit)."""
    if isinstance(v, int) and abs(v) >= 10**15:
        digits = int(abs(v).bit_length() * 0.30103) + 1
        return f"{'-' if v < 0 else ''}a number of about {digits} digits"
    return f"{v:g}"


def _bounds(p: Param, v: float) -> str | None:
    if p.minimum is not None and v < p.minimum:
        return message("param.min", param=p.name, min=show_number(p.minimum), got=show_number(v))
    if p.maximum is not None and v > p.maximum:
        return message("param.max", param=p.name, max=show_number(p.maximum), got=show_number(v))
    if isinstance(v, int) and abs(v) > MAX_MAGNITUDE:
        return message("param.too-large", param=p.name, got=show_number(v))
    return None


def _check_int(p: Param, v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int):
        return message("param.integer", param=p.name)
    return _bounds(p, v)


def _check_float(p: Param, v: Any) -> str | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return message("param.number", param=p.name)
    if isinstance(v, int) and abs(v) > MAX_MAGNITUDE:
        return message("param.too-large", param=p.name, got=show_number(v))
    if v != v or v in (float("inf"), float("-inf")):
        return message("param.finite", param=p.name)
    return _bounds(p, float(v))


def _check_bool(p: Param, v: Any) -> str | None:
    return None if isinstance(v, bool) else message("param.bool", param=p.name)


def _check_choice(p: Param, v: Any) -> str | None:
    if v in p.choices:
        return None
    return message("param.choice", param=p.name, choices=", ".join(p.choices), got=repr(v))


def _check_ints(p: Param, v: Any) -> str | None:
    if not isinstance(v, (list, tuple)) or not v:
        return message("param.ints", param=p.name)
    if p.length is not None and len(v) != p.length:
        return message("param.length", param=p.name, n=p.length, got=len(v))
    for item in v:
        problem = _check_int(p, item)
        if problem:
            return problem
    return None


def _check_str(p: Param, v: Any) -> str | None:
    if not isinstance(v, str):
        return message("param.text", param=p.name)
    if len(v) > 10_000:
        return message("param.too-long", param=p.name)
    if "\x00" in v:
        return message("param.null", param=p.name)
    return None


_CHECKERS: dict[str, Callable[[Param, Any], str | None]] = {
    INT: _check_int,
    FLOAT: _check_float,
    BOOL: _check_bool,
    CHOICE: _check_choice,
    INTS: _check_ints,
    STR: _check_str,
}


@dataclass(frozen=True)
class Port:
    """A named input or output of a layer. ``variadic`` inputs accept several edges (Add, Concat)."""

    name: str
    doc: str = ""
    variadic: bool = False
    optional: bool = False


# A shape rule gets the node's params and one TensorType per input port (a list of them for a
# variadic port) and returns one TensorType per output port, or raises ShapeError.
ShapeRule = Callable[[dict, dict[str, Any]], dict[str, TensorType]]
# A count rule gets the params and the same inputs and returns (trainable, non_trainable).
CountRule = Callable[[dict, dict[str, Any]], tuple[int, int]]


def no_params(params: dict, inputs: dict) -> tuple[int, int]:
    """Count rule for layers without weights."""
    return (0, 0)


@dataclass(frozen=True)
class Head:
    """What an output head trains: its task, the targets it needs, its loss and its metric.

    ``targets``: "labels" (integer class ids, one per sample, time step or pixel), "binary"
    (0/1 values, one per output unit) or "values" (real numbers of the output's shape).
    ``fold``: the activation a head absorbs into its loss ("softmax"/"sigmoid"): the loss takes logits.
    """

    task: str  # "classification" | "binary" | "multilabel" | "regression"
    targets: str  # "labels" | "binary" | "values"
    loss: str  # "cross_entropy" | "binary_cross_entropy" | "mse"
    fold: str | None = None
    metric: str | None = None  # "accuracy" or None

    @property
    def output_name(self) -> str:
        """The variable the model's output lands in: logits when a loss applies the activation."""
        return "outputs" if self.targets == "values" else "logits"


@dataclass(frozen=True)
class LayerSpec:
    """Everything LayerLab knows about one layer type."""

    type_id: str
    category: str
    display_name: str
    display_name_zh: str
    summary: str
    summary_zh: str
    params: tuple[Param, ...]
    inputs: tuple[Port, ...]
    outputs: tuple[Port, ...]
    infer: ShapeRule
    count: CountRule = no_params
    formula: str = ""
    # The formula in matplotlib's mathtext (a TeX subset: \frac, \sum_{i}, \mathrm{...}; no \begin or \text):
    # one expression per line, without $. The Layer Reference renders it (app/math_render.py).
    formula_tex: str = ""
    legacy_ids: tuple[str, ...] = ()
    icon: str = ""
    is_input: bool = False
    is_head: bool = False
    head: Head | None = None  # set on output heads (``is_head``)
    # Parameter settings worth checking beyond the defaults and each choice (asymmetric padding, …):
    # the test suite verifies every one of them in both frameworks, in every input layout they fit.
    examples: tuple[dict, ...] = ()
    extra: dict = field(default_factory=dict)  # free-form hints for backends (kept JSON-like)

    def __post_init__(self):
        names = [p.name for p in self.params]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.type_id}: duplicate parameter names")
        if self.is_head != (self.head is not None):
            raise ValueError(f"{self.type_id}: an output head needs a Head description (and only a head)")

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.type_id} has no parameter {name!r}")

    def validate_param(self, name: str, value: Any) -> tuple[Any, str | None]:
        """``Param.validate`` for parameter ``name``; an unknown name is refused with a reason too."""
        param = next((p for p in self.params if p.name == name), None)
        if param is None:
            return value, message("param.unknown", layer=self.display_name, name=repr(str(name)[:80]))
        return param.validate(value)

    def defaults(self) -> dict[str, Any]:
        """A fresh dict of default parameter values (lists are copied)."""
        return {p.name: (list(p.default) if isinstance(p.default, list) else p.default) for p in self.params}

    def input_port(self, name: str) -> Port | None:
        return next((p for p in self.inputs if p.name == name), None)

    def output_port(self, name: str) -> Port | None:
        return next((p for p in self.outputs if p.name == name), None)

    def check_params(self, params: dict) -> list[tuple[str, str]]:
        """Return (param name, message) for every invalid or missing parameter value."""
        problems = []
        for p in self.params:
            if p.name not in params:
                problems.append((p.name, message("missing-param", param=p.name)))
                continue
            msg = p.check(params[p.name])
            if msg:
                problems.append((p.name, msg))
        return problems

    def explanation(self, lang: str = "en") -> str:
        """Summary plus formula, for tooltips and docs."""
        text = self.summary_zh if lang.startswith("zh") and self.summary_zh else self.summary
        return f"{text}\n{self.formula}" if self.formula else text


def single_input(ports: Sequence[str] = ("in",)) -> tuple[Port, ...]:
    return tuple(Port(n) for n in ports)


IN = (Port("in"),)
OUT = (Port("out"),)
