"""The last step of every import, in the child: weights into PyTorch layout, checked against the layers
LayerLab generates, the imported model compared with the source model, the weights file written."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from codegen.importers.builder import Imported, ImportFailed
from codegen.verify import build_scripts, sample_inputs, torch_outputs
from codegen.weights import has_weights, keras_to_torch, module_arrays

Reference = Callable[[dict[str, np.ndarray]], list[np.ndarray]]
TOLERANCE = 1e-4  # relative to the output's scale; the round-trip tests hold 1e-5


def complete(imported: Imported, reference: Reference | None = None, weights_path=None, batch: int = 3) -> dict:
    """Check and finish an import; returns a report {layers, tensors, max_diff, compared}.

    ``reference``: the source model as a function of {Input name: array (channels first)} returning its
    outputs (channels first) in the model's order. ImportFailed when weights do not fit or the imported
    graph computes something else."""
    import torch

    project = imported.project
    try:
        plan, tns, _ = build_scripts(project)
    except ValueError as err:
        raise ImportFailed([str(err)], "the imported graph cannot be generated") from None
    torch.manual_seed(0)
    tmodel = tns["Model"]()
    arrays, problems = {}, []
    for step in plan.steps:
        if not has_weights(step):
            continue
        node_name = project.graph.node(step.id).name
        module = tmodel.get_submodule(step.module)
        shapes = {k: tuple(v.shape) for k, v in module_arrays(module).items()}
        if node_name in imported.torch_weights:
            given = imported.torch_weights[node_name]
            got = {k: tuple(v.shape) for k, v in given.items()}
            if got != shapes:
                problems.append(f"{node_name}: weights {got} do not fit the layer ({shapes})")
                continue
            arrays[step.module] = given
        elif node_name in imported.keras_weights:
            try:
                arrays[step.module] = keras_to_torch(step, imported.keras_weights[node_name], shapes)
            except ValueError as err:
                problems.append(str(err))
    if problems:
        raise ImportFailed(problems, "the imported weights do not fit")
    for name, tensors in arrays.items():
        module = tmodel.get_submodule(name)
        state = module.state_dict()
        state.update({k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in tensors.items()})
        module.load_state_dict(state)
    report = {"layers": len(project.graph), "tensors": sum(len(v) for v in arrays.values()), "compared": False}
    weighted = [s for s in plan.steps if has_weights(s)]
    if reference is not None and all(s.module in arrays for s in weighted):
        x = sample_inputs(plan, batch, seed=0)
        by_var = x if plan.multi else {plan.input_step.var: x}
        names = {s.var: project.graph.node(s.id).name for s in plan.inputs}
        tmodel.eval()
        ours = list(torch_outputs(plan, tmodel, x).values())
        theirs = reference({names[k]: v for k, v in by_var.items()})
        diff = 0.0
        for hp, a, b in zip(plan.heads, ours, theirs, strict=True):
            b = np.asarray(b, dtype=np.float32)
            if a.shape != b.shape:
                raise ImportFailed(
                    [f"output {hp.display}: LayerLab gives {a.shape}, the source model {b.shape}"],
                    "the imported graph computes something else",
                )
            diff = max(diff, float(np.max(np.abs(a - b))) if a.size else 0.0)
            scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
            if diff > TOLERANCE * scale:
                raise ImportFailed(
                    [f"output {hp.display}: max |LayerLab - source| = {diff:.3g} on random inputs"],
                    "the imported graph computes something else (an importer bug; please report it)",
                )
        report.update(compared=True, max_diff=diff)
    if weights_path is not None and arrays:
        from codegen.weights_file import write_weights

        report["weights_file"] = str(weights_path)
        write_weights(weights_path, plan, arrays)
    report["arrays"] = arrays
    return report
