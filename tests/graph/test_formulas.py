"""Every layer's and every concept's formula is valid mathtext (matplotlib's TeX subset), in both languages."""

from __future__ import annotations

import re

import pytest
from matplotlib.mathtext import MathTextParser

from graph.catalog import default_catalog
from graph.concepts import CONCEPTS, concept, concepts_for_layer, matches

CJK = re.compile(r"[\u4e00-\u9fff]")
# The concepts of the seed article, plus the two ideas the canvas is made of.
SEED_CONCEPTS = {"mse", "cross_entropy", "sigmoid", "relu", "tanh", "softmax", "gradient_descent", "backpropagation"}


@pytest.fixture(scope="module")
def parse():
    parser = MathTextParser("path")

    def problems(tex: str) -> list[str]:
        out = []
        lines = [line.strip() for line in tex.splitlines() if line.strip()]
        if not lines:
            return ["empty"]
        for line in lines:
            if "$" in line or r"\begin" in line or r"\text{" in line:
                out.append(f"{line}: no $, \\begin or \\text in a formula (mathtext lines, \\mathrm for words)")
                continue
            try:
                parser.parse(f"${line}$")
            except Exception as exc:
                out.append(f"{line}: {type(exc).__name__}: {exc}")
        return out

    return problems


def test_every_layer_has_a_formula_in_tex_that_mathtext_parses(parse):
    bad = {s.type_id: parse(s.formula_tex) for s in default_catalog()}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, "\n".join(f"{k}: {v}" for k, v in bad.items())


def test_the_parser_check_refuses_a_broken_formula(parse):
    assert parse(r"\frac{1}{")
    assert parse(r"\begin{cases} x \end{cases}")
    assert parse("")
    assert not parse(r"\theta \leftarrow \theta - \eta\, \nabla_{\theta} L")


def test_the_seed_formulas_are_among_the_layers_and_concepts():
    catalog = default_catalog()
    assert r"\max(0, x)" in catalog["relu"].formula_tex
    assert r"\dfrac{1}{1 + e^{-x}}" in catalog["sigmoid"].formula_tex
    assert r"\tanh" in catalog["tanh"].formula_tex
    assert r"\sum_j e^{x_j}" in catalog["softmax"].formula_tex
    assert r"(\hat{y}_i - y_i)^2" in catalog["output.regression"].formula_tex
    assert r"\log \mathrm{softmax}(z)_y" in catalog["output.classification"].formula_tex
    assert r"\theta \leftarrow \theta - \eta" in concept("gradient_descent").tex
    assert r"\partial" in concept("backpropagation").tex
    # the heads describe their losses
    for head, word in [("output.binary", r"\log \sigma"), ("output.multilabel", r"\sum_{k=1}^{K}")]:
        assert word in catalog[head].formula_tex


def test_concepts_have_both_languages_a_valid_formula_and_known_layers(parse):
    keys = [c.key for c in CONCEPTS]
    assert len(keys) == len(set(keys))
    assert SEED_CONCEPTS | {"tensor", "computational_graph"} <= set(keys)
    catalog = default_catalog()
    for c in CONCEPTS:
        assert c.title and c.text and c.formula, c.key
        assert CJK.search(c.title_zh) and CJK.search(c.text_zh), c.key
        assert not CJK.search(c.title + c.text), c.key
        assert not parse(c.tex), (c.key, parse(c.tex))
        assert all(t in catalog for t in c.layers), c.key
        assert c.title_in("zh_CN") == c.title_zh and c.text_in("en") == c.text


def test_layers_link_to_their_concepts_and_concepts_are_searchable():
    assert [c.key for c in concepts_for_layer("output.regression")] == ["mse"]
    assert "cross_entropy" in [c.key for c in concepts_for_layer("output.classification")]
    assert matches(concept("gradient_descent"), "learning rate")
    assert matches(concept("gradient_descent"), "梯度下降")
    assert not matches(concept("mse"), "attention")
