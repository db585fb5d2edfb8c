"""Safe literals and a tiny expression formatter that lays out calls the way ``ruff format`` does.

Generated code must pass ``ruff format --check`` with the project's settings (120 columns), so long
layer constructors are wrapped here rather than by a formatter run after generation: split at the
last bracket whose head fits, hug the arguments on one line when they fit, else one per line with a
trailing comma (black's right-hand split).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LINE_LENGTH = 120


class ScopedName(str):
    """A layer's name inside a block: an identifier that Keras code writes as ``f"{name}_<it>"`` (the
    block function's ``name`` argument prefixes it, so each call makes layers of its own)."""

    __slots__ = ()


def lit(value) -> str:
    """A Python literal for a JSON-like value; strings are escaped, so user text can never become code."""
    if isinstance(value, ScopedName):
        return 'f"{name}_' + str(value) + '"'  # an identifier: nothing to escape
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("non-finite numbers cannot be written as literals")
        return repr(value)
    if isinstance(value, str):
        return _str_lit(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{lit(k)}: {lit(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        items = [lit(v) for v in value]
        if isinstance(value, list):
            return "[" + ", ".join(items) + "]"
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    raise TypeError(f"cannot write {type(value).__name__} as a literal")


def _str_lit(text: str) -> str:
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = [quote]
    for ch in text:
        if ch == quote or ch == "\\":
            out.append("\\" + ch)
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])  # \n, \t, \x00, \u2028 …
    out.append(quote)
    return "".join(out)


# ----------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Call:
    """``callee(args…)``; callee is a str (atom) or another Call (``f(a)(b)``)."""

    callee: object
    args: tuple = ()

    def flat(self) -> str:
        return f"{flat(self.callee)}({', '.join(flat(a) for a in self.args)})"


@dataclass(frozen=True)
class Seq:
    """A list ``[a, b]`` or tuple ``(a, b)`` display whose items are expressions."""

    items: tuple
    brackets: str = "[]"

    def flat(self) -> str:
        body = ", ".join(flat(a) for a in self.items)
        if self.brackets == "()" and len(self.items) == 1:
            body += ","
        return f"{self.brackets[0]}{body}{self.brackets[1]}"


@dataclass(frozen=True)
class Kw:
    """A keyword argument ``name=value``."""

    name: str
    value: object

    def flat(self) -> str:
        return f"{self.name}={flat(self.value)}"


def flat(expr) -> str:
    return expr if isinstance(expr, str) else expr.flat()


def call(callee, *args, **kwargs) -> Call:
    """Build a Call; keyword arguments keep their order, values are expressions (str = code)."""
    return Call(callee, tuple(args) + tuple(Kw(k, v) for k, v in kwargs.items()))


def format_stmt(prefix: str, expr, indent: int = 0, suffix: str = "") -> list[str]:
    """Lines (without indentation) of ``prefix + expr + suffix`` laid out like ruff format."""
    width = LINE_LENGTH - indent
    one = prefix + flat(expr) + suffix
    if len(one) <= width or not _splittable(expr):
        return [one]
    brackets = _bracket_chain(expr)
    for i, (head, items, tail) in enumerate(brackets):
        if len(prefix + head) <= width or i == len(brackets) - 1:
            return [prefix + head, *_body(items, indent + 4), tail + suffix]
    raise AssertionError("unreachable")


def _splittable(expr) -> bool:
    return isinstance(expr, (Call, Seq)) and bool(_bracket_chain(expr))


def _bracket_chain(expr) -> list[tuple[str, tuple, str]]:
    """(head text, items, tail text) for each bracket pair of a trailer chain, last bracket first."""
    out = []
    if isinstance(expr, Seq):
        return [(expr.brackets[0], expr.items, expr.brackets[1])] if expr.items else []
    trailers: list[tuple] = []
    node = expr
    while isinstance(node, Call):
        trailers.append(node.args)
        node = node.callee
    base = flat(node)
    trailers.reverse()  # first call first
    rendered = [f"({', '.join(flat(a) for a in t)})" for t in trailers]
    for i in range(len(trailers) - 1, -1, -1):
        if not trailers[i]:
            continue
        head = base + "".join(rendered[:i]) + "("
        tail = ")" + "".join(rendered[i + 1 :])
        out.append((head, trailers[i], tail))
    return out


def _body(items: tuple, indent: int) -> list[str]:
    width = LINE_LENGTH - indent
    hugged = ", ".join(flat(a) for a in items)
    if len(hugged) <= width and not _has_magic_comma(items):
        return ["    " + hugged]
    lines = []
    for item in items:
        if isinstance(item, Kw):
            sub = format_stmt(f"{item.name}=", item.value, indent, ",")
        else:
            sub = format_stmt("", item, indent, ",")
        lines.extend(["    " + s if j == 0 else "    " + s for j, s in enumerate(sub)])
    return lines


def _has_magic_comma(items: tuple) -> bool:
    return False


def indent_lines(lines: list[str], levels: int) -> list[str]:
    pad = "    " * levels
    return [pad + line if line else line for line in lines]
