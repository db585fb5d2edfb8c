"""Writes the complete TensorFlow/Keras script: header, data, the functional model, fit(), main()."""

from __future__ import annotations

from string import Template

from codegen import data_code
from codegen.backend import Rendered
from codegen.emitter import Emitter, Plan
from codegen.pyfmt import call, format_stmt, lit
from codegen.script_common import CONTROL, header, safe_title, settings, targets_block


def write(project, plan: Plan, rendered: dict[str, Rendered], ctx, project_dir, script_name: str) -> Emitter:
    em = Emitter()
    kind = project.setup["dataset"]
    text = kind == "text"
    usage = "\n        [--generate N] [--temperature T] [--prompt TEXT]" if text else ""
    header(em, safe_title(project), "TensorFlow/Keras", script_name, usage)
    _imports(em, kind, ctx.imports)
    em.blank()
    em.line('os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow start-up chatter')
    em.blank()
    em.line("import keras  # noqa: E402  (after the environment variable)")
    em.line("import tensorflow as tf  # noqa: E402")
    em.line("from keras import layers  # noqa: E402")
    if "ops" in ctx.imports:
        em.line("from keras import ops  # noqa: E402")
    em.blank()
    settings(em, project, plan, getattr(ctx, "info", None), project_dir)
    em.blank(2)
    em.block(data_code.loader(kind))
    em.blank(2)
    em.block(
        data_code.SPLIT.replace(PREPARE_TORCH, PREPARE_KERAS) if plan.input_step.out.channels_first else data_code.SPLIT
    )
    em.blank(2)
    em.block(targets_block(plan, one_hot=_smoothing(plan) > 0))
    em.blank(2)
    _model(em, plan, rendered)
    em.blank(2)
    em.block(CONTROL)
    em.blank(2)
    em.block(_training(project, plan))
    if text:
        em.blank(2)
        em.block(GENERATE)
    em.blank(2)
    em.block(Template(MAIN).substitute(generate=GENERATE_CALL if text else "", text_args=TEXT_ARGS if text else ""))
    return em


PREPARE_TORCH = '''    """Reshape samples to the model's input shape (channels first)."""
    return x.reshape(len(x), *INPUT_SHAPE)'''
PREPARE_KERAS = '''    """Reshape samples to the model's input shape, then move channels last."""
    return np.moveaxis(x.reshape(len(x), *INPUT_SHAPE), 1, -1)'''


def _smoothing(plan: Plan) -> float:
    return float(plan.head_params.get("label_smoothing", 0.0) or 0.0)


def _imports(em: Emitter, kind: str, extra: set[str]) -> None:
    std = ["argparse", "json", "math", "os", "sys", "time"] + (["csv"] if kind == "csv" else [])
    for name in sorted(std):
        em.line(f"import {name}")
    em.line("from pathlib import Path")
    em.blank()
    em.line("import numpy as np")


def _model(em: Emitter, plan: Plan, rendered: dict[str, Rendered]) -> None:
    em.line("def build_model():")
    em.line('"""The network drawn in LayerLab (functional API, channels last)."""', 1)
    for step in plan.steps:
        r = rendered.get(step.id)
        if r is None:
            continue
        for comment in r.comments:
            em.line(comment, 1, step.id)
        for target, expr in r.apply:
            em.stmt(f"{target} = " if target else "", expr, 1, step.id)
    em.stmt("return ", call("keras.Model", plan.input_step.var, plan.output_var, name=lit("model")), 1)


def _training(project, plan: Plan) -> str:
    s = project.setup
    smoothing = _smoothing(plan)
    if plan.head_type == "output.classification":
        if smoothing:
            loss = call("keras.losses.CategoricalCrossentropy", from_logits="True", label_smoothing=lit(smoothing))
            metric = 'keras.metrics.CategoricalAccuracy(name="accuracy")'
        else:
            loss = call("keras.losses.SparseCategoricalCrossentropy", from_logits="True")
            metric = 'keras.metrics.SparseCategoricalAccuracy(name="accuracy")'
    elif plan.head_type == "output.binary":
        loss = call("keras.losses.BinaryCrossentropy", from_logits="True")
        metric = 'keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)'
    else:
        loss, metric = call("keras.losses.MeanSquaredError"), ""
    return Template(TRAINING).substitute(
        optimizer="\n    ".join(format_stmt("return ", _optimizer(s), 4)),
        loss="\n".join(format_stmt("LOSS = ", loss)),
        metrics=f"[{metric}]",
        has_accuracy=lit(bool(metric)),
    )


def _optimizer(s: dict):
    """keras.optimizers with the same hyperparameters as the PyTorch script (EQUIVALENCE §2.22)."""
    kind, eps, wd = s["optimizer"], lit(float(s["epsilon"])), float(s["weight_decay"])
    betas = {"beta_1": lit(float(s["beta1"])), "beta_2": lit(float(s["beta2"]))}
    if kind == "adam":
        kw = {"learning_rate": "lr", **betas, "epsilon": eps}
        if wd:
            kw["weight_decay"] = lit(wd)
        return call("keras.optimizers.Adam", **kw)
    if kind == "adamw":
        return call("keras.optimizers.AdamW", learning_rate="lr", weight_decay=lit(wd), **betas, epsilon=eps)
    if kind == "sgd":
        kw = {"learning_rate": "lr", "momentum": lit(float(s["momentum"]))}
        if wd:
            kw["weight_decay"] = lit(wd)
        return call("keras.optimizers.SGD", **kw)
    # RMSprop: Keras adds epsilon inside the square root, PyTorch outside; eps² matches closely.
    kw = {"learning_rate": "lr", "rho": lit(float(s["beta2"])), "momentum": lit(float(s["momentum"]))}
    kw["epsilon"] = lit(float(s["epsilon"]) ** 2)
    return call("keras.optimizers.RMSprop", **kw)


TRAINING = '''
def make_optimizer(lr):
    """The optimiser, every hyperparameter explicit (as in the PyTorch script)."""
    $optimizer


$loss
HAS_ACCURACY = $has_accuracy


def metrics():
    return $metrics


class Progress(keras.callbacks.Callback):
    """Batch and epoch events, pause/stop files and per-epoch checkpoints."""

    def __init__(self, control, first_step):
        super().__init__()
        self.control, self.step = control, first_step
        self.stopped, self.error = False, None

    def on_epoch_begin(self, epoch, logs=None):
        self.seen, self.start = 0, time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        self.seen += 1
        if not self.control.due():
            return
        loss = float(logs["loss"])
        if not math.isfinite(loss):
            self.error = f"the loss became {loss} at step {self.step}"
            self.model.stop_training = True
            return
        rate = self.seen * self.params_batch / (time.perf_counter() - self.start)
        self.control.emit("batch", step=self.step, loss=loss, samples_per_s=rate)
        if self.control.should_stop():
            self.stopped = self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if not math.isfinite(logs.get("loss", 0.0)):
            self.error = f"the loss became {logs['loss']} in epoch {epoch + 1}"
            self.model.stop_training = True
            return
        out = self.control.out_dir
        self.model.save(out / "checkpoint.keras")
        state = {"epoch": epoch + 1, "step": self.step}
        (out / "checkpoint.json").write_text(json.dumps(state))
        self.control.emit(
            "epoch",
            epoch=epoch + 1,
            loss=logs.get("loss"),
            accuracy=logs.get("accuracy"),
            val_loss=logs.get("val_loss"),
            val_accuracy=logs.get("val_accuracy"),
            seconds=time.perf_counter() - self.start,
        )
'''

GENERATE = '''
def generate_text(model, vocab, prompt, length, temperature):
    """Sample ``length`` characters after ``prompt`` from the trained model."""
    rng = np.random.default_rng()
    ids = [vocab.index(ch) for ch in prompt if ch in vocab] or [0]
    for _ in range(length):
        window = ids[-STEPS:]
        window = [window[0]] * (STEPS - len(window)) + window
        logits = model(np.array([window]), training=False).numpy()
        logits = logits[0, -1] if PER_STEP_TARGETS else logits[0]
        probs = np.exp((logits - logits.max()) / temperature)
        ids.append(int(rng.choice(len(vocab), p=probs / probs.sum())))
    return "".join(vocab[i] for i in ids)
'''

GENERATE_CALL = """
    if args.generate:
        sample = generate_text(
            model, data["vocab"], args.prompt, args.generate, args.temperature
        )
        control.emit("text", text=sample)
        if not control.jsonl:
            print(sample)"""

TEXT_ARGS = """
    parser.add_argument("--generate", type=int, default=0, help="characters to sample")
    parser.add_argument("--temperature", type=float, default=1.0, help="for sampling")
    parser.add_argument("--prompt", default="", help="text to start generating from")"""

MAIN = '''
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--lr", type=float, default=LEARNING_RATE, help="learning rate")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--out", default="out", help="folder for weights, checkpoints")
    parser.add_argument("--data", default=DATA_PATH, help="dataset file or folder")
    parser.add_argument("--resume", help="checkpoint (.keras) to continue from")
    parser.add_argument("--progress", choices=("text", "jsonl"), default="text")$text_args
    return parser.parse_args(argv)


def select_device(name):
    """auto: the first GPU when there is one; cpu hides the GPUs; cuda:N picks GPU N."""
    if name == "cpu":
        tf.config.set_visible_devices([], "GPU")
        return "/CPU:0"
    if name.startswith("cuda"):
        return f"/GPU:{name.partition(':')[2] or 0}"
    return "/GPU:0" if tf.config.list_physical_devices("GPU") else "/CPU:0"


def run(args, control):
    keras.utils.set_random_seed(args.seed)
    data = split_data(load_data(args.data), args.seed)
    first_epoch, first_step = 0, 0
    if args.resume:
        model = keras.models.load_model(args.resume)
        state = json.loads(Path(args.resume).with_suffix(".json").read_text())
        first_epoch, first_step = state["epoch"], state["step"]
    else:
        model = build_model()
        model.compile(optimizer=make_optimizer(args.lr), loss=LOSS, metrics=metrics())
    progress = Progress(control, first_step)
    progress.params_batch = args.batch_size
    x_train = data["x_train"]
    control.emit(
        "start",
        framework="tensorflow",
        device=args.device,
        epochs=args.epochs,
        batch_size=args.batch_size,
        train_samples=len(x_train),
        steps_per_epoch=math.ceil(len(x_train) / args.batch_size),
        params=model.count_params(),
    )
    has_val = len(data["x_val"]) > 0
    model.fit(
        x_train,
        data["y_train"],
        batch_size=args.batch_size,
        epochs=args.epochs,
        initial_epoch=first_epoch,
        validation_data=(data["x_val"], data["y_val"]) if has_val else None,
        shuffle=SHUFFLE,
        callbacks=[progress],
        verbose=0,
    )
    if progress.error:
        raise FloatingPointError(progress.error)
    weights = control.out_dir / "model.keras"
    model.save(weights)
    x_test, y_test = data["x_test"], data["y_test"]
    test = model.evaluate(
        x_test, y_test, batch_size=args.batch_size, verbose=0, return_dict=True
    )
    control.emit(
        "end",
        test_loss=test["loss"],
        test_accuracy=test.get("accuracy"),
        weights=str(weights),
        stopped=progress.stopped,
    )$generate


def main(argv=None):
    args = parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    control = Control(out_dir, args.progress)
    try:
        with tf.device(select_device(args.device)):
            run(args, control)
    except FloatingPointError as err:
        control.emit("error", message=f"training stopped: {err}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
