"""Fixtures for graph tests: a tiny catalog (Orange's small_testing_registry idea) and a sample project."""

from __future__ import annotations

import pytest

from graph.catalog import Catalog, default_catalog
from graph.examples import digits_mlp


@pytest.fixture
def small_catalog() -> Catalog:
    """Just enough layer types for graph-operation tests."""
    full = default_catalog()
    return Catalog(full[t] for t in ("input.vector", "dense", "relu", "add", "concatenate", "output.classification"))


@pytest.fixture
def digits_project():
    return digits_mlp()
