"""The catalog checks itself: every layer type has both lowerings, bilingual docs and test cases.

Nothing here names a layer type. A spec added without a PyTorch or Keras lowering, without Chinese
docs, or that fits none of the standard inputs fails here (docs/adding-a-layer.md).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from catalog_cases import CATALOG, cases, layer_specs, project_for

from codegen.backend import BACKENDS
from graph.analysis import analyze
from graph.glossary import PARAM_TITLES_ZH
from graph.project import SETUP_PARAMS

CJK = re.compile(r"[\u3400-\u9fff]")
SPECS = list(CATALOG)


@pytest.mark.parametrize("framework", sorted(BACKENDS))
def test_every_spec_has_a_lowering_and_every_lowering_a_spec(framework):
    """Heads need none: their loss, metric and targets come from the spec's Head (graph/tasks.py)."""
    lowered = BACKENDS[framework].lowerings.ids()
    missing = sorted(s.type_id for s in SPECS if s.type_id not in lowered and not s.is_head)
    assert not missing, f"no {framework} lowering for {missing} (docs/adding-a-layer.md)"
    assert lowered <= {s.type_id for s in SPECS}, f"lowerings without a spec: {sorted(lowered - set(CATALOG._specs))}"


@pytest.mark.parametrize("spec", SPECS, ids=[s.type_id for s in SPECS])
def test_spec_is_documented_in_both_languages(spec):
    assert spec.display_name and spec.display_name_zh, spec.type_id  # a name such as "SiLU" stays as it is
    assert spec.summary and CJK.search(spec.summary_zh), spec.type_id
    for p in spec.params:
        assert p.doc and CJK.search(p.doc_zh), f"{spec.type_id}.{p.name}"
        assert p.title in PARAM_TITLES_ZH, f"add {p.title!r} to graph/glossary.py"


def test_setup_titles_are_translated():
    missing = sorted({p.title for p in SETUP_PARAMS} - set(PARAM_TITLES_ZH))
    assert not missing, f"add to graph/glossary.py: {missing}"


def test_every_layer_spec_has_test_cases():
    covered = {type_id for type_id, _, _ in cases()}
    untested = sorted(s.type_id for s in layer_specs() if s.type_id not in covered)
    assert not untested, f"these specs fit no standard input, so nothing tests them: {untested}"


def test_layers_with_weights_convert_them():
    """A layer whose count rule gives weights has a Keras weight conversion (and none otherwise)."""
    keras = BACKENDS["tensorflow"].lowerings
    for type_id, kind, params in cases():
        project = project_for(CATALOG[type_id], params, kind)
        analysis = analyze(project.graph)
        node = next(n for n in project.graph.nodes() if n.type == type_id)
        trainable, frozen = analysis.counts.get(node.id, (0, 0))
        has = keras.get(type_id).weights is not None
        assert has == (trainable + frozen > 0), f"{type_id} {params}: weights {trainable + frozen}, converter {has}"


# ----------------------------------------------------------------------------- initial weights


def _default_cases():
    seen, out = set(), []
    for type_id, kind, params in cases():
        lowering = BACKENDS["tensorflow"].lowerings.get(type_id)
        if lowering.weights is not None and type_id not in seen:
            seen.add(type_id)
            out.append((type_id, kind, params))
    return out


@pytest.mark.frameworks
@pytest.mark.parametrize("type_id,kind,params", _default_cases(), ids=[c[0] for c in _default_cases()])
def test_initial_weights_follow_keras(type_id, kind, params):
    """Each weight of the PyTorch model (as the script builds it) has the Keras weight's distribution."""
    import keras
    import torch

    from codegen.api import generate
    from codegen.emitter import build_plan
    from codegen.verify import exec_source
    from codegen.weights import module_arrays, torch_to_keras

    project = project_for(CATALOG[type_id], params, kind)
    tns = exec_source(generate(project, "pytorch").source, "<init torch>")
    kns = exec_source(generate(project, "tensorflow").source, "<init keras>")
    step = next(s for s in build_plan(project.graph).steps if s.type == type_id)
    converted, native = [], []
    # Small layers are built again with other seeds until every weight has enough values for statistics.
    for seed in range(40):
        torch.manual_seed(seed)
        keras.utils.set_random_seed(seed)
        tmodel, kmodel = tns["Model"](), kns["build_model"]()
        converted.append(torch_to_keras(step, module_arrays(getattr(tmodel, step.name))))
        native.append([np.asarray(w) for w in kmodel.get_layer(step.name).get_weights()])
        if min(w.size for w in native[0]) * len(native) >= 4000:
            break
    assert [w.shape for w in converted[0]] == [w.shape for w in native[0]]
    for i in range(len(native[0])):
        tw = np.stack([c[i] for c in converted])
        kw = np.stack([n[i] for n in native])
        where = f"{type_id} weight {i} {kw.shape[1:]}"
        if np.ptp(kw) == 0 or np.ptp(tw) == 0:
            np.testing.assert_array_equal(tw, kw, err_msg=where)  # zeros, ones, forget-gate pattern
            continue
        assert abs(tw.std() / kw.std() - 1) < 0.1, where
        assert abs(np.abs(tw).max() / np.abs(kw).max() - 1) < 0.15, where
        assert abs(tw.mean() - kw.mean()) < 0.1 * kw.std() + 1e-6, where
