"""Writes the GAN scripts: templates/gan_pytorch.py.j2 and gan_keras.py.j2 around the two networks.

A GAN project holds a generator (Noise Input → … → Generated) and a discriminator (Input → … → Binary)
in one graph (graph/gan.py). Both scripts draw the noise and the batch order from one seeded NumPy
generator, so with the same weights they see the same numbers (docs/equivalence.md §5).
"""

from __future__ import annotations

from types import SimpleNamespace

from codegen import data_code, script_common
from codegen.backend import Rendered
from codegen.emitter import Emitter, Plan
from codegen.pyfmt import format_stmt
from graph.tasks import TargetNeed

SAMPLE_IMAGES = 16  # generated images per samples event (a 4×4 grid)
SAMPLE_POINTS = 500  # generated and real 2-D points per samples event


def context(project, plan: Plan, ctx, project_dir, script_name: str, framework: str, channels_last: bool) -> dict:
    gan = plan.gan
    real = next(s for s in plan.steps if s.id == gan.real)
    noise = next(s for s in plan.steps if s.id == gan.noise)
    generated = next(hp for hp in plan.heads if hp.id == gan.generated)
    kind, t = project.setup["dataset"], real.out
    # The loaders read the same constants as in the supervised scripts; targets are not used here.
    view = SimpleNamespace(multi=False, input_step=real, output_type=None, need=TargetNeed("generation", "values", ()))
    s = project.setup
    constants = [
        ("DATASET", s["dataset"], ""),
        ("DATA_PATH", script_common.data_path(project, project_dir), ""),
        ("EPOCHS", s["epochs"], ""),
        ("BATCH_SIZE", s["batch_size"], ""),
        ("LEARNING_RATE", float(s["learning_rate"]), ""),
        ("SEED", s["seed"], ""),
        ("SHUFFLE", bool(s["shuffle"]), ""),
        *(r for r in data_code.constants(project, view, getattr(ctx, "info", None)) if r[0] != "TARGET_SHAPE"),
    ]
    smoothing = float(generated.params.get("label_smoothing", 0.0) or 0.0)
    tanh = _ends_in_tanh(plan, generated)
    images = t.channels_first and t.rank == 4
    constants += [
        ("SAMPLE_SHAPE", tuple(t.features), "per-sample shape of the real and generated samples (channels first)"),
        ("NOISE_SIZE", noise.out.last, "length of each noise vector z"),
        ("SHOWN", SAMPLE_IMAGES if images else SAMPLE_POINTS, "generated samples sent to the app after each epoch"),
        ("REAL_LABEL", round(1.0 - smoothing, 10), "the discriminator's target for real samples (1 − ε)"),
    ]
    return {
        "framework": framework,
        "title": script_common.safe_title(project),
        "script": script_name,
        "gan": True,
        "text": False,
        "report": False,
        "boundary": False,
        "multi": False,
        "streams": False,  # a GAN reads its real samples into memory
        "kind": kind,
        "constants": constants,
        "helpers": [source.strip("\n") for source in ctx.helpers.values()],
        "stdlib": sorted(["argparse", "json", "math", "sys", "time", *data_code.stdlib_imports(kind)]),
        "sample_shape": tuple(t.features),
        "tanh": tanh,  # the generator ends in tanh: real samples are scaled to −1…1 like its output
        "move": channels_last and t.channels_first,
        "images": images,
        "points": not images and tuple(t.features) == (2,),
        "sample_count": SAMPLE_IMAGES if images else SAMPLE_POINTS,
    }


def _ends_in_tanh(plan: Plan, generated) -> bool:
    """The generator's output passes through tanh last (a Tanh layer or Dense with tanh; Reshape keeps it)."""
    graph_steps = {s.id: s for s in plan.steps}
    step = next((s for s in plan.steps if s.var == generated.output_var), None)
    while step is not None:
        if step.type == "tanh" or (step.type == "dense" and step.params.get("activation") == "tanh"):
            return True
        if step.type not in ("reshape", "flatten", "permute") or not step.inputs:
            return False
        step = next((s for s in graph_steps.values() if s.var == step.inputs[0] and s.id != step.id), None)
    return False


def write_torch(project, plan: Plan, rendered: dict[str, Rendered], ctx, project_dir, script_name, optimizer):
    c = context(project, plan, ctx, project_dir, script_name, "PyTorch", channels_last=False)
    c.update(functional="F" in ctx.imports, optimizer="\n".join(format_stmt("return ", optimizer, 4)))

    return script_common.write("gan_pytorch.py.j2", c, lambda em: torch_models(em, plan, rendered))


def write_keras(project, plan: Plan, rendered: dict[str, Rendered], ctx, project_dir, script_name, optimizer):
    c = context(project, plan, ctx, project_dir, script_name, "TensorFlow/Keras", channels_last=True)
    c.update(ops="ops" in ctx.imports, optimizer="\n".join(format_stmt("return ", optimizer, 4)))
    c["stdlib"] = sorted({*c["stdlib"], "os"})
    return script_common.write("gan_keras.py.j2", c, lambda em: keras_models(em, plan, rendered))


def _parts(plan: Plan):
    """(generator steps, noise var, generated var, discriminator steps, real var, logit var)."""
    gan, var = plan.gan, {s.id: s.var for s in plan.steps}
    out = {h.id: h.output_var for h in plan.heads}
    gen = [s for s in plan.steps if s.id in gan.generator]
    dis = [s for s in plan.steps if s.id in gan.discriminator]
    return gen, var[gan.noise], out[gan.generated], dis, var[gan.real], out[gan.critic]


GENERATOR_DOC = "The generator drawn in LayerLab: noise in, a sample out."
DISCRIMINATOR_DOC = "The discriminator drawn in LayerLab: a sample in, a real-or-fake logit out."


def torch_models(em: Emitter, plan: Plan, rendered: dict[str, Rendered]) -> None:
    """class Generator and class Discriminator, emitted node by node."""
    from codegen.script_torch import module_class

    gen, noise, made, dis, real, logit = _parts(plan)
    module_class(em, "Generator", GENERATOR_DOC, plan, gen, rendered, [noise], [made])
    em.blank(2)
    module_class(em, "Discriminator", DISCRIMINATOR_DOC, plan, dis, rendered, [real], [logit])


def keras_models(em: Emitter, plan: Plan, rendered: dict[str, Rendered]) -> None:
    """build_generator() and build_discriminator(), emitted node by node."""
    from codegen.script_keras import model_function

    gen, noise, made, dis, real, logit = _parts(plan)
    model_function(em, "build_generator", GENERATOR_DOC, gen, rendered, noise, made, "generator")
    em.blank(2)
    model_function(em, "build_discriminator", DISCRIMINATOR_DOC, dis, rendered, real, logit, "discriminator")
