"""Writes the complete PyTorch script: header, data, the nn.Module, the training loop, main()."""

from __future__ import annotations

from string import Template

from codegen import data_code
from codegen.backend import Rendered
from codegen.emitter import Emitter, Plan
from codegen.pyfmt import call, lit
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

LOSSES = {
    "cross_entropy": "nn.CrossEntropyLoss(label_smoothing=$smoothing)",
    "binary_cross_entropy": "nn.BCEWithLogitsLoss()",
    "mse": "nn.MSELoss()",
}


def write(project, plan: Plan, rendered: dict[str, Rendered], ctx, project_dir, script_name: str) -> Emitter:
    em = Emitter()
    kind = project.setup["dataset"]
    text, report, boundary = kind == "text", classifies(plan, kind), draws_boundary(plan, kind)
    header(em, safe_title(project), "PyTorch", script_name, plan, kind)
    _imports(em, kind, ctx.imports)
    em.blank()
    settings(em, project, plan, getattr(ctx, "info", None), project_dir)
    em.blank(2)
    em.block(data_code.loader(kind))
    em.blank(2)
    em.block(data_code.split_block(kind))
    em.blank(2)
    em.block(data_code.inputs_block(kind, channels_last=False))
    em.blank(2)
    em.block(data_code.targets_block(plan.need, channels_last=False))
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
        report_block(kind, False, _image_sample(plan)) if report else None,
        BOUNDARY if boundary else None,
        GENERATE if text else None,
        select(MAIN, text=text, report=report, boundary=boundary).replace("$expected", expected_targets(plan, False)),
    )
    return em


def _predicted(plan: Plan) -> str:
    if plan.head.task == "binary":
        return "model(xb)[:, 0] > 0"
    return "model(xb).argmax(dim=-1)"


def _image_sample(plan: Plan) -> str:
    """One (C, H, W) test image as the app draws it: (H, W) or (H, W, C)."""
    t = plan.input_step.out
    if t.rank != 4:
        return "x_test[i]"
    return "x_test[i][0]" if t.dims[1] == 1 else "x_test[i].transpose(1, 2, 0)"


def _imports(em: Emitter, kind: str, extra: set[str]) -> None:
    std = ["argparse", "json", "math", "sys", "time", *data_code.stdlib_imports(kind)]
    for name in sorted(std):
        em.line(f"import {name}")
    em.line("from pathlib import Path")
    em.blank()
    em.line("import numpy as np")
    em.line("import torch")
    em.line("from torch import nn")
    if "F" in extra:
        em.line("from torch.nn import functional as F")


def _model(em: Emitter, plan: Plan, rendered: dict[str, Rendered]) -> None:
    em.line("class Model(nn.Module):")
    em.line('"""The network drawn in LayerLab."""', 1)
    em.blank()
    em.line("def __init__(self):", 1)
    em.line("super().__init__()", 2)
    present = [(step, rendered[step.id]) for step in plan.steps if step.id in rendered]
    for step, r in present:
        for comment in r.comments if r.build else []:
            em.line(comment, 2, step.id)
        for target, expr in r.build:
            em.stmt(f"{target} = " if target else "", expr, 2, step.id)
    if any(r.init for _, r in present):
        em.line("self.reset_parameters()", 2)
        em.blank()
        em.line("def reset_parameters(self):", 1)
        em.line('"""Keras\' default initial values, so both scripts start from the same distributions."""', 2)
        for step, r in present:
            for target, expr in r.init:
                em.stmt(f"{target} = " if target else "", expr, 2, step.id)
    em.blank()
    x = plan.input_step.var
    em.line(f"def forward(self, {x}):", 1)
    for step, r in present:
        for target, expr in r.apply:
            em.stmt(f"{target} = " if target else "", expr, 2, step.id)
    em.line(f"return {plan.output_var}", 2)


def _training(project, plan: Plan) -> str:
    s, head, need = project.setup, plan.head, plan.need
    loss = Template(LOSSES[head.loss]).substitute(smoothing=lit(label_smoothing(plan)))
    class_dim = 1 if need.class_axis == 1 else -1
    if need.kind == "labels" and plan.output_type.rank == 3:  # (N, T, K) scores: one row per time step
        loss_args = "logits.flatten(0, 1), y.flatten()"
    else:
        loss_args = f"{head.output_name}, y"
    if need.kind == "labels":
        correct = f"(logits.argmax(dim={class_dim}) == y).sum()"
    elif need.kind == "binary":
        correct = "((logits > 0) == (y > 0.5)).sum()"
    else:
        correct = "None"
    return Template(TRAINING).substitute(
        loss=loss,
        loss_args=loss_args,
        correct=correct,
        optimizer=_optimizer(s),
        has_accuracy=lit(head.metric == "accuracy"),
        out=head.output_name,
    )


def _optimizer(s: dict) -> str:
    """torch.optim with every hyperparameter written out (docs/equivalence.md §5)."""
    kind, eps = s["optimizer"], lit(float(s["epsilon"]))
    betas = lit((float(s["beta1"]), float(s["beta2"])))
    wd = lit(float(s["weight_decay"]))
    params = "model.parameters()"
    if kind == "adam":
        kw = {"lr": "lr", "betas": betas, "eps": eps}
        if s["weight_decay"]:
            kw.update(weight_decay=wd, decoupled_weight_decay="True")
        expr = call("torch.optim.Adam", params, **kw)
    elif kind == "adamw":
        expr = call("torch.optim.AdamW", params, lr="lr", betas=betas, eps=eps, weight_decay=wd)
    elif kind == "sgd":
        expr = call("torch.optim.SGD", params, lr="lr", momentum=lit(float(s["momentum"])), weight_decay=wd)
    else:
        kw = {"lr": "lr", "alpha": lit(float(s["beta2"])), "eps": eps, "momentum": lit(float(s["momentum"]))}
        expr = call("torch.optim.RMSprop", params, **kw)
    from codegen.pyfmt import format_stmt

    lines = format_stmt("return ", expr, 4)
    return "\n    ".join(lines)


TRAINING = '''
def make_optimizer(model, lr):
    """The optimiser, every hyperparameter explicit (as in the Keras script)."""
    $optimizer


LOSS_FN = $loss
HAS_ACCURACY = $has_accuracy


def compute_loss($out, y):
    return LOSS_FN($loss_args)


def count_correct(logits, y):
    return $correct


def train_epoch(model, optimizer, x, y, batch_size, control, state, boundary):  #[boundary]
def train_epoch(model, optimizer, x, y, batch_size, control, state):  #[!boundary]
    """One pass over the training data; returns (mean loss, accuracy)."""
    model.train()
    n = len(x)
    if SHUFFLE:
        order = torch.randperm(n, device=x.device)
    else:
        order = torch.arange(n, device=x.device)
    total_loss = torch.zeros((), device=x.device)
    correct = torch.zeros((), device=x.device, dtype=torch.int64)
    seen, start = 0, time.perf_counter()
    for idx in order.split(batch_size):
        logits = model(x[idx])
        loss = compute_loss(logits, y[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        # Accumulate on the device: no host synchronisation per step.
        total_loss += loss.detach() * len(idx)
        if HAS_ACCURACY:
            correct += count_correct(logits.detach(), y[idx])
        seen += len(idx)
        state["step"] += 1
        if control.due():
            value = loss.item()
            if not math.isfinite(value):
                raise FloatingPointError(f"the loss became {value}")
            rate = seen / (time.perf_counter() - start)
            lr = optimizer.param_groups[0]["lr"]
            step = state["step"]
            control.emit("batch", step=step, loss=value, samples_per_s=rate, lr=lr)
            if boundary is not None:  #[boundary]
                boundary.show(model, state["epoch"] + 1, step)  #[boundary]
            if control.should_stop():
                state["stopped"] = True
                break
    return total_loss.item() / seen, correct.item() / (seen * per_sample(y))


def per_sample(y):
    """Targets per sample (several per time step, pixel or label)."""
    return y[0].numel() if y.dim() > 1 else 1


@torch.no_grad()
def evaluate(model, x, y, batch_size):
    """Mean loss and accuracy on held-out data (inference mode)."""
    model.eval()
    total_loss, correct = torch.zeros((), device=x.device), 0
    for start in range(0, len(x), batch_size):
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        logits = model(xb)
        total_loss += compute_loss(logits, yb) * len(xb)
        if HAS_ACCURACY:
            correct += count_correct(logits, yb)
    n = max(len(x), 1)
    accuracy = float(correct) / (n * per_sample(y)) if HAS_ACCURACY else None
    return total_loss.item() / n, accuracy


def save_checkpoint(model, optimizer, state, out_dir):
    """checkpoint.pt (weights, optimiser) and checkpoint.json (epochs, steps done)."""
    done = {"epoch": state["epoch"], "step": state["step"]}
    checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
    torch.save({**checkpoint, **done}, out_dir / "checkpoint.pt")
    (out_dir / "checkpoint.json").write_text(json.dumps(done))


def open_tensorboard(logdir, control):
    """A TensorBoard SummaryWriter for --tensorboard DIR, or None."""
    if not logdir:
        return None
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        print("warning: --tensorboard needs: pip install tensorboard", file=sys.stderr)
        return None
    control.emit("tensorboard", logdir=str(logdir))
    return SummaryWriter(logdir)
'''

PREDICT = '''
@torch.no_grad()
def predict_classes(model, x, batch_size):
    """The predicted class of every sample, as a NumPy array (inference mode)."""
    was_training = model.training
    model.eval()
    x = torch.as_tensor(x, device=next(model.parameters()).device)
    predicted = [$predicted for xb in x.split(batch_size)]
    model.train(was_training)
    return torch.cat(predicted).long().cpu().numpy()
'''

GENERATE = '''
@torch.no_grad()
def generate_text(model, vocab, prompt, length, temperature, start, device):
    """``prompt`` and ``length`` characters sampled after it (after the ids ``start`` if it is empty)."""
    model.eval()
    context = [vocab.index(ch) for ch in prompt if ch in vocab] or [int(i) for i in start]
    sampled = []
    for _ in range(length):
        window = context[-STEPS:]
        window = [window[0]] * (STEPS - len(window)) + window
        logits = model(torch.tensor([window], device=device))
        logits = logits[0, -1] if PER_STEP_TARGETS else logits[0]
        probs = torch.softmax(logits / temperature, dim=-1)
        sampled.append(int(torch.multinomial(probs, 1)))
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
    parser.add_argument("--resume", help="checkpoint to continue from")
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


def check_targets(model, x, y):
    """Stop before training when the targets do not fit the model's output (names both shapes)."""
    model.eval()
    with torch.no_grad():
        output = tuple(model(x[:2]).shape[1:])
    model.train()
    require_targets(output, tuple(y.shape[1:]), $expected)


def resolve_device(name):
    """auto: the first GPU when there is one; cuda[:N] only when that GPU exists."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError as err:
        raise DeviceError(f"unknown device {name!r} ({err}); use auto, cpu, cuda or cuda:N") from None
    if device.type == "cuda" and (not torch.cuda.is_available() or (device.index or 0) >= torch.cuda.device_count()):
        found = torch.cuda.device_count() if torch.cuda.is_available() else 0
        raise DeviceError(f"--device {name}: this machine has {found} CUDA GPU(s); use --device cpu or auto")
    return device


def load_checkpoint(path, device):
    """A checkpoint written by this script; weights only (never code), whatever the environment says."""
    try:
        return torch.load(path, map_location=device, weights_only=True)
    except Exception as err:  # missing, corrupt, or a file that would run code when unpickled
        raise DataError(f"cannot load the checkpoint {path}: {type(err).__name__}: {err}") from None


def to_tensors(data, device):
    """Every split as tensors on the device, so batches never leave it."""
    splits = {k: v for k, v in data.items() if k[:2] in ("x_", "y_")}
    return {k: torch.as_tensor(v, device=device) for k, v in splits.items()}


def run(args, control):
    torch.manual_seed(args.seed)
    device = resolve_device(args.device)
    data = split_data(read_data(args.data), args.seed)
    t = to_tensors(data, device)
    model = Model().to(device)
    optimizer = make_optimizer(model, args.lr)
    state = {"step": 0, "stopped": False, "epoch": 0}
    if args.resume:
        checkpoint = load_checkpoint(args.resume, device)
        try:
            model.load_state_dict(checkpoint["model"])
            optimizer.load_state_dict(checkpoint["optimizer"])
            state.update(epoch=int(checkpoint["epoch"]), step=int(checkpoint["step"]))
        except (KeyError, TypeError, ValueError, RuntimeError) as err:
            raise DataError(f"{args.resume} is not a checkpoint of this model ({type(err).__name__}: {err})") from None
    if args.generate_only:  #[text]
        show_text(args, control, model, data, device)  #[text]
        return  #[text]
    check_targets(model, t["x_train"], t["y_train"])
    if "vocab" in data:  # token ids need the same vocabulary to be read back
        (control.out_dir / "vocab.json").write_text(json.dumps(data["vocab"], ensure_ascii=False))
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    control.emit(
        "start",
        framework="pytorch",
        device=str(device),
        epochs=args.epochs,
        batch_size=args.batch_size,
        train_samples=len(t["x_train"]),
        steps_per_epoch=math.ceil(len(t["x_train"]) / args.batch_size),
        params=params,
    )
    writer = open_tensorboard(args.tensorboard, control)
    boundary = DecisionMap(control, data["x"]) if control.jsonl else None  #[boundary]
    for epoch in range(state["epoch"], args.epochs):
        start = time.perf_counter()
        x, y = t["x_train"], t["y_train"]
        loss, acc = train_epoch(model, optimizer, x, y, args.batch_size, control, state)  #[!boundary]
        loss, acc = train_epoch(model, optimizer, x, y, args.batch_size, control, state, boundary)  #[boundary]
        if not math.isfinite(loss):
            raise FloatingPointError(f"the loss became {loss} in epoch {epoch + 1}")
        if state["stopped"]:
            # A stop mid-epoch: the epoch is not finished, so resuming starts it again.
            save_checkpoint(model, optimizer, state, control.out_dir)
            break
        val_loss, val_acc = evaluate(model, t["x_val"], t["y_val"], args.batch_size)
        require_finite(f"validation loss in epoch {epoch + 1}", val_loss if len(t["x_val"]) else None)
        state["epoch"] = epoch + 1
        save_checkpoint(model, optimizer, state, control.out_dir)
        metrics = {
            "loss": loss,
            "accuracy": acc if HAS_ACCURACY else None,
            "val_loss": val_loss,
            "val_accuracy": val_acc,
            "lr": optimizer.param_groups[0]["lr"],
        }
        elapsed = time.perf_counter() - start
        control.emit("epoch", epoch=epoch + 1, **metrics, seconds=elapsed)
        if boundary is not None:  #[boundary]
            boundary.show(model, epoch + 1, state["step"])  #[boundary]
        if writer is not None:
            for name, value in metrics.items():
                if value is not None:
                    writer.add_scalar(f"epoch/{name}", value, epoch + 1)
    if writer is not None:
        writer.close()
    if boundary is not None:  #[boundary]
        boundary.show(model, state["epoch"], state["step"], force=True)  #[boundary]
    weights = control.out_dir / "model.pt"
    torch.save(model.state_dict(), weights)
    test_loss, test_acc = evaluate(model, t["x_test"], t["y_test"], args.batch_size)
    require_finite("test loss", test_loss if len(t["x_test"]) else None)
    control.emit(
        "end",
        test_loss=test_loss,
        test_accuracy=test_acc,
        weights=str(weights),
        stopped=state["stopped"],
        **test_report(model, data, args.batch_size),  #[report]
    )
    if args.generate:  #[text]
        show_text(args, control, model, data, device)  #[text]


def show_text(args, control, model, data, device):  #[text]
    """Sample --generate characters after --prompt and report them."""  #[text]
    length = args.generate or 200  #[text]
    start = data["x"][0]  # without a prompt, continue the first window of the text  #[text]
    sample = generate_text(model, data["vocab"], args.prompt, length, args.temperature, start, device)  #[text]
    control.emit("text", text=sample, prompt=args.prompt, temperature=args.temperature)  #[text]
    if not control.jsonl:  #[text]
        print(sample)  #[text]


def main(argv=None):
    args = parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    control = Control(out_dir, args.progress)
    try:
        run(args, control)
    except FloatingPointError as err:
        return fail(control, "nan", f"training stopped: {err}")
    except DataError as err:
        return fail(control, "data", str(err))
    except DeviceError as err:
        return fail(control, "device", str(err))
    except (torch.cuda.OutOfMemoryError, MemoryError) as err:
        return fail(control, "oom", f"out of memory ({err}); {OOM_HINT}")
    except (RuntimeError, ValueError) as err:
        if "alloc" in str(err).lower() and "memory" in str(err).lower():  # the CPU allocator gave up
            return fail(control, "oom", f"out of memory ({err}); {OOM_HINT}")
        if not is_shape_error(err):
            raise
        return fail(control, "shape", f"the data do not fit the model: {err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
