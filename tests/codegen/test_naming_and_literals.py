"""The naming object and literal writer: no user text can become code."""

from __future__ import annotations

import ast
import builtins
import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codegen.naming import Namespace, sanitize
from codegen.pyfmt import LINE_LENGTH, call, format_stmt, lit


def test_names_are_legal_and_unique():
    ns = Namespace()
    names = [ns.create_name(n) for n in ["Dense", "dense", "class", "input", "list", "x", "2nd layer", "", "é—ç"]]
    assert len(set(names)) == len(names)
    for name in names:
        assert name.isidentifier()
        assert not keyword.iskeyword(name)
        assert not hasattr(builtins, name)
    assert names[0] == "dense" and names[1] == "dense_1"


def test_same_key_same_name():
    ns = Namespace()
    assert ns.create_name("conv", key="n1") == ns.create_name("other", key="n1")


@given(st.lists(st.text(max_size=30), max_size=20))
def test_any_text_gives_fresh_identifiers(texts):
    ns = Namespace()
    names = [ns.create_name(t) for t in texts]
    assert len(set(names)) == len(names)
    assert all(n.isidentifier() and not keyword.iskeyword(n) for n in names)


@given(st.text())
def test_string_literals_round_trip(text):
    source = lit(text)
    assert "\n" not in source
    assert ast.literal_eval(source) == text


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda inner: st.lists(inner, max_size=4),
        max_leaves=10,
    )
)
def test_json_values_round_trip(value):
    assert ast.literal_eval(lit(value)) == value


def test_sanitize_strips_code():
    assert sanitize("x\"); __import__('os').system('rm -rf /') #").isidentifier()


def test_long_calls_wrap_like_ruff():
    expr = call(
        "nn.Conv2d", "32", "64", kernel_size="3", stride="2", padding="1", dilation="2", groups="2", bias="False"
    )
    lines = format_stmt("self.a_rather_long_attribute_name = ", expr, 8)
    assert lines[0].endswith("(") and lines[-1] == ")"
    assert all(len(line) + 8 <= LINE_LENGTH for line in lines)


@pytest.mark.frameworks
def test_reserved_names_cover_the_installed_frameworks():
    import keras
    import torch

    from codegen.reserved import KERAS_MODEL, TORCH_MODULE

    assert {n for n in dir(torch.nn.Module()) if not n.startswith("_")} <= TORCH_MODULE
    assert {n for n in dir(keras.Model()) + dir(keras.layers.Layer()) if not n.startswith("_")} <= KERAS_MODEL
