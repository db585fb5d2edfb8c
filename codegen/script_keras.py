"""Writes the complete TensorFlow/Keras script: header, data, the functional model, fit(), main()."""

from __future__ import annotations

from string import Template

from codegen import data_code
from codegen.backend import Rendered
from codegen.emitter import Emitter, Plan
from codegen.pyfmt import call, format_stmt, lit
from codegen.script_common import (
    BOUNDARY,
    CONTROL,
    blocks,
    classifies,
    draws_boundary,
    expected_targets,
    header,
    helpers,
    label_smoothing,
    report_block,
    safe_title,
    select,
    settings,
)


def write(project, plan: Plan, rendered: dict[str, Rendered], ctx, project_dir, script_name: str) -> Emitter:
    em = Emitter()
    kind = project.setup["dataset"]
    text, report, boundary = kind == "text", classifies(plan, kind), draws_boundary(plan, kind)
    header(em, safe_title(project), "TensorFlow/Keras", script_name, plan, kind)
    _imports(em, kind, ctx.imports)
    em.blank()
    em.line('os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow start-up chatter')
    em.blank()
    em.line("import keras")
    em.line("import tensorflow as tf")
    em.line("from keras import layers, ops" if "ops" in ctx.imports else "from keras import layers")
    em.blank()
    settings(em, project, plan, getattr(ctx, "info", None), project_dir)
    em.blank(2)
    em.block(data_code.loader(kind))
    em.blank(2)
    em.block(data_code.split_block(kind))
    em.blank(2)
    em.block(data_code.inputs_block(kind, channels_last=plan.input_step.out.channels_first))
    em.blank(2)
    em.block(data_code.targets_block(plan.need, channels_last=True, one_hot=label_smoothing(plan) > 0))
    em.blank(2)
    helpers(em, ctx)
    _model(em, plan, rendered)
    em.blank(2)
    em.block(CONTROL)
    em.blank(2)
    em.block(select(_training(project, plan), boundary=boundary))
    blocks(
        em,
        Template(PREDICT).substitute(predicted=_predicted(plan)) if report else None,
        report_block(kind, label_smoothing(plan) > 0, _image_sample(plan)) if report else None,
        BOUNDARY if boundary else None,
        GENERATE if text else None,
        select(MAIN, text=text, report=report, boundary=boundary).replace("$expected", expected_targets(plan, True)),
    )
    return em


def _predicted(plan: Plan) -> str:
    if plan.head.task == "binary":
        return '(logits[:, 0] > 0).astype("int64")'
    return "logits.argmax(axis=-1)"


def _image_sample(plan: Plan) -> str:
    """One (H, W, C) test image as the app draws it: (H, W) or (H, W, C)."""
    t = plan.input_step.out
    if t.rank != 4:
        return "x_test[i]"
    return "x_test[i][..., 0]" if t.dims[1] == 1 else "x_test[i]"


def _imports(em: Emitter, kind: str, extra: set[str]) -> None:
    std = ["argparse", "json", "math", "os", "sys", "time", *data_code.stdlib_imports(kind)]
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
    smoothing = label_smoothing(plan)
    if plan.head.loss == "cross_entropy":
        if smoothing:
            loss = call("keras.losses.CategoricalCrossentropy", from_logits="True", label_smoothing=lit(smoothing))
            metric = 'keras.metrics.CategoricalAccuracy(name="accuracy")'
        else:
            loss = call("keras.losses.SparseCategoricalCrossentropy", from_logits="True")
            metric = 'keras.metrics.SparseCategoricalAccuracy(name="accuracy")'
    elif plan.head.loss == "binary_cross_entropy":
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
    """keras.optimizers with the same hyperparameters as the PyTorch script (docs/equivalence.md §5)."""
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

    def __init__(self, control, first_epoch, first_step, batch_size, boundary):  #[boundary]
    def __init__(self, control, first_epoch, first_step, batch_size):  #[!boundary]
        super().__init__()
        self.control, self.batch_size = control, batch_size
        self.done, self.step = first_epoch, first_step  # epochs finished, steps taken
        self.boundary = boundary  #[boundary]
        self.stopped, self.error = False, None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch, self.seen, self.start = epoch, 0, time.perf_counter()

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
        rate = self.seen * self.batch_size / (time.perf_counter() - self.start)
        lr = self.learning_rate()
        self.control.emit("batch", step=self.step, loss=loss, samples_per_s=rate, lr=lr)
        if self.boundary is not None:  #[boundary]
            self.boundary.show(self.model, self.epoch + 1, self.step)  #[boundary]
        if self.control.should_stop():
            self.stopped = self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for name, label in (("loss", "loss"), ("val_loss", "validation loss")):
            if not math.isfinite(logs.get(name, 0.0)):
                self.error = f"the {label} became {logs[name]} in epoch {epoch + 1}"
                self.model.stop_training = True
                return
        # A stop mid-epoch: the epoch is not finished, so resuming starts it again.
        self.done = epoch if self.stopped else epoch + 1
        out = self.control.out_dir
        self.model.save(out / "checkpoint.keras")
        state = {"epoch": self.done, "step": self.step}
        (out / "checkpoint.json").write_text(json.dumps(state))
        if self.stopped:
            return
        self.control.emit(
            "epoch",
            epoch=epoch + 1,
            loss=logs.get("loss"),
            accuracy=logs.get("accuracy"),
            val_loss=logs.get("val_loss"),
            val_accuracy=logs.get("val_accuracy"),
            lr=self.learning_rate(),
            seconds=time.perf_counter() - self.start,
        )
        if self.boundary is not None:  #[boundary]
            self.boundary.show(self.model, epoch + 1, self.step)  #[boundary]

    def learning_rate(self):
        return float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
'''

PREDICT = '''
def predict_classes(model, x, batch_size):
    """The predicted class of every sample, as a NumPy array (inference mode)."""
    batches = [x[i : i + batch_size] for i in range(0, len(x), batch_size)]
    logits = [keras.ops.convert_to_numpy(model(b, training=False)) for b in batches]
    logits = np.concatenate(logits)
    return $predicted
'''

GENERATE = '''
def generate_text(model, vocab, prompt, length, temperature, start):
    """``prompt`` and ``length`` characters sampled after it (after the ids ``start`` if it is empty)."""
    rng = np.random.default_rng()
    context = [vocab.index(ch) for ch in prompt if ch in vocab] or [int(i) for i in start]
    sampled = []
    for _ in range(length):
        window = context[-STEPS:]
        window = [window[0]] * (STEPS - len(window)) + window
        logits = model(np.array([window]), training=False).numpy()
        logits = logits[0, -1] if PER_STEP_TARGETS else logits[0]
        probs = np.exp((logits - logits.max()) / temperature)
        sampled.append(int(rng.choice(len(vocab), p=probs / probs.sum())))
        context.append(sampled[-1])
    return prompt + "".join(vocab[i] for i in sampled)
'''

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
    parser.add_argument("--progress", choices=("text", "jsonl"), default="text")
    parser.add_argument("--tensorboard", metavar="DIR", help="also log to TensorBoard")
    parser.add_argument("--generate", type=int, default=0, help="characters to sample")  #[text]
    parser.add_argument("--temperature", type=float, default=1.0, help="for sampling")  #[text]
    parser.add_argument("--prompt", default="", help="text to start generating from")  #[text]
    parser.add_argument("--generate-only", action="store_true", help="sample from --resume, no training")  #[text]
    args = parser.parse_args(argv)  #[text]
    if args.generate_only and not args.resume:  #[text]
        parser.error("--generate-only needs --resume CHECKPOINT")  #[text]
    return args  #[text]
    return parser.parse_args(argv)  #[!text]


def tensorboard_callback(logdir, control):
    """[keras.callbacks.TensorBoard] for --tensorboard DIR, or [] without it."""
    if not logdir:
        return []
    try:
        import tensorboard  # noqa: F401  (tf.summary needs it)
    except ImportError:
        print("warning: --tensorboard needs: pip install tensorboard", file=sys.stderr)
        return []
    control.emit("tensorboard", logdir=str(logdir))
    return [keras.callbacks.TensorBoard(log_dir=logdir)]


def check_targets(model, x, y):
    """Stop before training when the targets do not fit the model's output (names both shapes)."""
    output = tuple(model(x[:2], training=False).shape[1:])
    require_targets(output, tuple(y.shape[1:]), $expected)


def select_device(name):
    """auto: the first GPU when there is one; cpu hides the GPUs; cuda[:N] only when that GPU exists."""
    if name == "cpu":
        tf.config.set_visible_devices([], "GPU")
        return "/CPU:0"
    gpus = tf.config.list_physical_devices("GPU")
    if name.startswith("cuda"):
        index = name.partition(":")[2] or "0"
        if not index.isdigit() or int(index) >= len(gpus):
            raise DeviceError(f"--device {name}: this machine has {len(gpus)} GPU(s); use --device cpu or auto")
        return f"/GPU:{index}"
    if name != "auto":
        raise DeviceError(f"unknown device {name!r}; use auto, cpu, cuda or cuda:N")
    return "/GPU:0" if gpus else "/CPU:0"


def load_checkpoint(path):
    """(model, state) from a .keras checkpoint written by this script; safe_mode refuses code (Lambda layers)."""
    try:
        model = keras.models.load_model(path, safe_mode=True)
        state = json.loads(Path(path).with_suffix(".json").read_text())
        return model, int(state["epoch"]), int(state["step"])
    except Exception as err:  # missing, corrupt, or a file that would run code
        raise DataError(f"cannot load the checkpoint {path}: {type(err).__name__}: {err}") from None


def run(args, control, device):
    keras.utils.set_random_seed(args.seed)
    data = split_data(read_data(args.data), args.seed)
    first_epoch, first_step = 0, 0
    if args.resume:
        model, first_epoch, first_step = load_checkpoint(args.resume)
    else:
        model = build_model()
        model.compile(optimizer=make_optimizer(args.lr), loss=LOSS, metrics=metrics())
    if args.generate_only:  #[text]
        show_text(args, control, model, data)  #[text]
        return  #[text]
    x_train = data["x_train"]
    check_targets(model, x_train, data["y_train"])
    if "vocab" in data:  # token ids need the same vocabulary to be read back
        (control.out_dir / "vocab.json").write_text(json.dumps(data["vocab"], ensure_ascii=False))
    control.emit(
        "start",
        framework="tensorflow",
        device=device,
        epochs=args.epochs,
        batch_size=args.batch_size,
        train_samples=len(x_train),
        steps_per_epoch=math.ceil(len(x_train) / args.batch_size),
        params=model.count_params(),
    )
    boundary = DecisionMap(control, data["x"]) if control.jsonl else None  #[boundary]
    progress = Progress(control, first_epoch, first_step, args.batch_size, boundary)  #[boundary]
    progress = Progress(control, first_epoch, first_step, args.batch_size)  #[!boundary]
    callbacks = [progress, *tensorboard_callback(args.tensorboard, control)]
    has_val = len(data["x_val"]) > 0
    model.fit(
        x_train,
        data["y_train"],
        batch_size=args.batch_size,
        epochs=args.epochs,
        initial_epoch=first_epoch,
        validation_data=(data["x_val"], data["y_val"]) if has_val else None,
        shuffle=SHUFFLE,
        callbacks=callbacks,
        verbose=0,
    )
    if progress.error:
        raise FloatingPointError(progress.error)
    if boundary is not None:  #[boundary]
        boundary.show(model, progress.done, progress.step, force=True)  #[boundary]
    weights = control.out_dir / "model.keras"
    model.save(weights)
    x_test, y_test = data["x_test"], data["y_test"]
    test = model.evaluate(x_test, y_test, batch_size=args.batch_size, verbose=0, return_dict=True)
    require_finite("test loss", test["loss"])
    control.emit(
        "end",
        test_loss=test["loss"],
        test_accuracy=test.get("accuracy"),
        weights=str(weights),
        stopped=progress.stopped,
        **test_report(model, data, args.batch_size),  #[report]
    )
    if args.generate:  #[text]
        show_text(args, control, model, data)  #[text]


def show_text(args, control, model, data):  #[text]
    """Sample --generate characters after --prompt and report them."""  #[text]
    length = args.generate or 200  #[text]
    start = data["x"][0]  # without a prompt, continue the first window of the text  #[text]
    sample = generate_text(model, data["vocab"], args.prompt, length, args.temperature, start)  #[text]
    control.emit("text", text=sample, prompt=args.prompt, temperature=args.temperature)  #[text]
    if not control.jsonl:  #[text]
        print(sample)  #[text]


def main(argv=None):
    args = parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    control = Control(out_dir, args.progress)
    try:
        device = select_device(args.device)
        with tf.device(device):
            run(args, control, device)
    except FloatingPointError as err:
        return fail(control, "nan", f"training stopped: {err}")
    except DataError as err:
        return fail(control, "data", str(err))
    except DeviceError as err:
        return fail(control, "device", str(err))
    except (tf.errors.ResourceExhaustedError, MemoryError) as err:
        return fail(control, "oom", f"out of memory ({err}); {OOM_HINT}")
    except (ValueError, tf.errors.InvalidArgumentError) as err:
        if not is_shape_error(err):
            raise
        return fail(control, "shape", f"the data do not fit the model: {err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
