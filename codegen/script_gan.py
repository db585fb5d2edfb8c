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
from codegen.pyfmt import call, format_stmt, lit
from graph.tasks import TargetNeed

SAMPLE_IMAGES = 16  # generated images per samples event (a 4×4 grid)
SAMPLE_POINTS = 500  # generated and real 2-D points per samples event


def context(project, plan: Plan, ctx, project_dir, script_name: str, framework: str, channels_last: bool) -> dict:
    gan = plan.gan
    real = next(s for s in plan.steps if s.id == gan.real)
    noise = next(s for s in plan.steps if s.id == gan.noise)
    generated = next(hp for hp in plan.heads if hp.id == gan.generated)
    critic = next(hp for hp in plan.heads if hp.id == gan.critic)
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
        "generator_out": generated.output_var,
        "critic_out": critic.output_var,
        "noise_var": noise.var,
        "real_var": real.var,
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

    def models(em: Emitter) -> None:
        from codegen.script_torch import module_class

        gan = plan.gan
        module_class(
            em,
            "Generator",
            "The generator drawn in LayerLab: noise in, a sample out.",
            plan,
            [s for s in plan.steps if s.id in gan.generator],
            rendered,
            [c["noise_var"]],
            [c["generator_out"]],
        )
        em.blank(2)
        module_class(
            em,
            "Discriminator",
            "The discriminator drawn in LayerLab: a sample in, a real-or-fake logit out.",
            plan,
            [s for s in plan.steps if s.id in gan.discriminator],
            rendered,
            [c["real_var"]],
            [c["critic_out"]],
        )

    return script_common.write("gan_pytorch.py.j2", c, models)


def write_keras(project, plan: Plan, rendered: dict[str, Rendered], ctx, project_dir, script_name, optimizer):
    c = context(project, plan, ctx, project_dir, script_name, "TensorFlow/Keras", channels_last=True)
    c.update(ops="ops" in ctx.imports, optimizer="\n".join(format_stmt("return ", optimizer, 4)))
    c["stdlib"] = sorted({*c["stdlib"], "os"})
    return script_common.write("gan_keras.py.j2", c, lambda em: keras_models(em, plan, rendered))


def keras_models(em: Emitter, plan: Plan, rendered: dict[str, Rendered]) -> None:
    """build_generator() and build_discriminator(), emitted node by node."""
    gan = plan.gan
    var = {s.id: s.var for s in plan.steps}
    out = {h.id: h.output_var for h in plan.heads}
    for fn, doc, members, inp, result in (
        (
            "build_generator",
            "The generator drawn in LayerLab: noise in, a sample out.",
            gan.generator,
            var[gan.noise],
            out[gan.generated],
        ),
        (
            "build_discriminator",
            "The discriminator drawn in LayerLab: a sample in, a real-or-fake logit out.",
            gan.discriminator,
            var[gan.real],
            out[gan.critic],
        ),
    ):
        em.line(f"def {fn}():")
        em.line(f'"""{doc}"""', 1)
        for step in plan.steps:
            r = rendered.get(step.id)
            if step.id not in members or r is None:
                continue
            for comment in r.comments:
                em.line(comment, 1, step.id)
            for target, expr in r.apply:
                em.stmt(f"{target} = " if target else "", expr, 1, step.id)
        name = "generator" if fn == "build_generator" else "discriminator"
        em.stmt("return ", call("keras.Model", inp, result, name=lit(name)), 1)
        if fn == "build_generator":
            em.blank(2)
