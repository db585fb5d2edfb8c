"""verify for a GAN: both networks' forward passes and one adversarial step, PyTorch against Keras.

The generator and the discriminator get the same weights in both frameworks; then the report compares
the generated samples for the same noise, the discriminator's logits for the same real samples, the
two losses of one adversarial step (each script's own step function) and every weight after it. The
step runs with plain SGD in both, so that a gradient that is zero up to round-off cannot be blown up
by Adam's normalisation.
"""

from __future__ import annotations

import numpy as np

from codegen.verify import from_keras_layout, to_keras_layout
from codegen.weights import copy_torch_to_keras, has_weights, keras_weights, module_arrays

STEP_LR = 0.05


def verify_gan(report, plan, tns, kns, batch: int, seed: int, tolerance: float):
    import torch

    gan = plan.gan
    gen_steps = [s for s in plan.steps if s.id in gan.generator]
    dis_steps = [s for s in plan.steps if s.id in gan.discriminator]
    tg, td = tns["Generator"](), tns["Discriminator"]()
    kg, kd = kns["build_generator"](), kns["build_discriminator"]()
    t_count = sum(p.numel() for m in (tg, td) for p in m.parameters() if p.requires_grad)
    k_count = kg.count_params() + kd.count_params()
    total = plan.trainable + plan.non_trainable
    report.add("pytorch trainable parameters", t_count == plan.trainable, f"{t_count:,} (catalog {plan.trainable:,})")
    report.add("keras parameters", k_count == total, f"{k_count:,} (catalog {total:,})")
    copy_torch_to_keras(plan, tg, kg, gen_steps)
    copy_torch_to_keras(plan, td, kd, dis_steps)
    rng = np.random.default_rng(seed)
    z = tns["noise"](rng, batch)
    real_t = next(s for s in plan.steps if s.id == gan.real).out
    real = rng.standard_normal((batch, *real_t.features)).astype("float32")
    tg.eval()
    td.eval()
    with torch.no_grad():
        t_fake = tg(torch.as_tensor(z)).numpy()
        t_logits = td(torch.as_tensor(real)).numpy()
    k_fake = from_keras_layout(np.asarray(kg(z, training=False)), real_t)
    k_logits = np.asarray(kd(to_keras_layout(real, real_t), training=False))
    _close(report, "generated samples for the same noise", t_fake, k_fake, tolerance)
    _close(report, "discriminator logits for the same samples", t_logits, k_logits, tolerance)
    # One adversarial step through each script's own step function, from the same weights and batch.
    tg.train()
    td.train()
    g_opt, d_opt = torch.optim.SGD(tg.parameters(), lr=STEP_LR), torch.optim.SGD(td.parameters(), lr=STEP_LR)
    t_d, t_g, _ = tns["adversarial_step"](tg, td, g_opt, d_opt, torch.as_tensor(real), torch.as_tensor(z))
    import keras

    step = kns["make_adversarial_step"](
        kg, kd, keras.optimizers.SGD(learning_rate=STEP_LR), keras.optimizers.SGD(learning_rate=STEP_LR)
    )
    k_d, k_g, _ = step(to_keras_layout(real, real_t), z)
    for name, t_loss, k_loss in (("discriminator", t_d, k_d), ("generator", t_g, k_g)):
        tl, kl = float(t_loss), float(k_loss)
        ok = abs(tl - kl) <= tolerance * max(abs(tl), 1e-6)
        report.add(f"{name} loss of one adversarial step", ok, f"pytorch {tl:.6g}, keras {kl:.6g}")
    worst = (0.0, "")
    for steps, tmodel, kmodel in ((gen_steps, tg, kg), (dis_steps, td, kd)):
        for s in steps:
            if not has_weights(s):
                continue
            for layer_name, expected in keras_weights(plan, s, module_arrays(tmodel.get_submodule(s.module))):
                for var, want in zip(kmodel.get_layer(layer_name).weights, expected, strict=True):
                    got = np.asarray(var)
                    scale = max(float(np.abs(want).max(initial=0.0)), 1e-6)
                    worst = max(worst, (float(np.abs(got - want).max(initial=0.0)) / scale, f"{s.display}: {var.name}"))
    report.add(
        "weights after one adversarial step",
        worst[0] <= tolerance,
        f"largest relative difference {worst[0]:.3g} ({worst[1]})",
    )
    return report


def _close(report, name: str, a: np.ndarray, b: np.ndarray, tolerance: float) -> None:
    same_shape = a.shape == b.shape
    diff = float(np.max(np.abs(a - b))) if same_shape and a.size else 0.0
    report.add(
        name,
        same_shape and diff <= tolerance,
        f"{a.shape}, max difference {diff:.3g}" if same_shape else f"{a.shape} vs {b.shape}",
    )
