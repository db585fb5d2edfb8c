"""Writes the complete PyTorch script: header, data, the nn.Module, the training loop, main()."""

from __future__ import annotations

from string import Template

from codegen import data_code
from codegen.backend import Rendered
from codegen.emitter import Emitter, Plan
from codegen.pyfmt import call, lit
from codegen.script_common import CONTROL, header, safe_title, settings, targets_block

LOSSES = {
    "output.classification": "nn.CrossEntropyLoss(label_smoothing=$smoothing)",
    "output.binary": "nn.BCEWithLogitsLoss()",
    "output.regression": "nn.MSELoss()",
}


def write(project, plan: Plan, rendered: dict[str, Rendered], ctx, project_dir, script_name: str) -> Emitter:
    em = Emitter()
    kind = project.setup["dataset"]
    text = kind == "text"
    usage = "\n        [--generate N] [--temperature T] [--prompt TEXT]" if text else ""
    header(em, safe_title(project), "PyTorch", script_name, usage)
    _imports(em, kind, ctx.imports)
    em.blank()
    settings(em, project, plan, None if not hasattr(ctx, "info") else ctx.info, project_dir)
    em.blank(2)
    em.block(data_code.loader(kind))
    em.blank(2)
    em.block(data_code.SPLIT)
    em.blank(2)
    em.block(targets_block(plan))
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


def _imports(em: Emitter, kind: str, extra: set[str]) -> None:
    std = ["argparse", "json", "math", "sys", "time"] + (["csv"] if kind == "csv" else [])
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
    for step in plan.steps:
        r = rendered.get(step.id)
        if r is None:
            continue
        for comment in r.comments if r.build else []:
            em.line(comment, 2, step.id)
        for target, expr in r.build:
            em.stmt(f"{target} = " if target else "", expr, 2, step.id)
    em.blank()
    x = plan.input_step.var
    em.line(f"def forward(self, {x}):", 1)
    for step in plan.steps:
        r = rendered.get(step.id)
        if r is None:
            continue
        for target, expr in r.apply:
            em.stmt(f"{target} = " if target else "", expr, 2, step.id)
    em.line(f"return {plan.output_var}", 2)


def _training(project, plan: Plan) -> str:
    s = project.setup
    loss = Template(LOSSES[plan.head_type]).substitute(
        smoothing=lit(float(plan.head_params.get("label_smoothing", 0.0)))
    )
    per_step = plan.output_type.rank == 3 and plan.head_type == "output.classification"
    if plan.head_type == "output.classification":
        flat_ = "logits.flatten(0, 1), y.flatten()" if per_step else "logits, y"
        correct = "(logits.argmax(dim=-1) == y).sum()"
    elif plan.head_type == "output.binary":
        flat_, correct = "logits, y", "((logits > 0) == (y > 0.5)).sum()"
    else:
        flat_, correct = "logits, y", "None"
    return Template(TRAINING).substitute(
        loss=loss,
        loss_args=flat_,
        correct=correct,
        optimizer=_optimizer(s),
        has_accuracy=lit(plan.head_type != "output.regression"),
    )


def _optimizer(s: dict) -> str:
    """torch.optim with every hyperparameter written out (EQUIVALENCE §2.22)."""
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


def compute_loss(logits, y):
    return LOSS_FN($loss_args)


def count_correct(logits, y):
    return $correct


def train_epoch(model, optimizer, x, y, batch_size, control, state):
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
            control.emit("batch", step=state["step"], loss=value, samples_per_s=rate)
            if control.should_stop():
                state["stopped"] = True
                break
    return total_loss.item() / seen, correct.item() / (seen * per_sample(y))


def per_sample(y):
    """Targets per sample (several for per-time-step classification)."""
    per_step = HAS_ACCURACY and y.dim() > 1 and y.dtype == torch.int64
    return y[0].numel() if per_step else 1


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
'''

GENERATE = '''
@torch.no_grad()
def generate_text(model, vocab, prompt, length, temperature, device):
    """Sample ``length`` characters after ``prompt`` from the trained model."""
    model.eval()
    ids = [vocab.index(ch) for ch in prompt if ch in vocab] or [0]
    for _ in range(length):
        window = ids[-STEPS:]
        window = [window[0]] * (STEPS - len(window)) + window
        logits = model(torch.tensor([window], device=device))
        logits = logits[0, -1] if PER_STEP_TARGETS else logits[0]
        probs = torch.softmax(logits / temperature, dim=-1)
        ids.append(int(torch.multinomial(probs, 1)))
    return "".join(vocab[i] for i in ids)
'''

GENERATE_CALL = """
    if args.generate:
        sample = generate_text(
            model, data["vocab"], args.prompt, args.generate, args.temperature, device
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
    parser.add_argument("--resume", help="checkpoint to continue from")
    parser.add_argument("--progress", choices=("text", "jsonl"), default="text")$text_args
    return parser.parse_args(argv)


def resolve_device(name):
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def to_tensors(data, device):
    """Every split as tensors on the device, so batches never leave it."""
    splits = {k: v for k, v in data.items() if k[:2] in ("x_", "y_")}
    return {k: torch.as_tensor(v, device=device) for k, v in splits.items()}


def run(args, control):
    torch.manual_seed(args.seed)
    device = resolve_device(args.device)
    data = split_data(load_data(args.data), args.seed)
    t = to_tensors(data, device)
    model = Model().to(device)
    optimizer = make_optimizer(model, args.lr)
    state = {"step": 0, "stopped": False, "epoch": 0}
    if args.resume:
        checkpoint = torch.load(args.resume, map_location=device)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        state.update(epoch=checkpoint["epoch"], step=checkpoint["step"])
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
    for epoch in range(state["epoch"], args.epochs):
        start = time.perf_counter()
        x, y = t["x_train"], t["y_train"]
        loss, acc = train_epoch(model, optimizer, x, y, args.batch_size, control, state)
        if not math.isfinite(loss):
            raise FloatingPointError(f"the loss became {loss} in epoch {epoch + 1}")
        val_loss, val_acc = evaluate(model, t["x_val"], t["y_val"], args.batch_size)
        state["epoch"] = epoch + 1
        checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
        checkpoint.update(epoch=epoch + 1, step=state["step"])
        torch.save(checkpoint, control.out_dir / "checkpoint.pt")
        control.emit(
            "epoch",
            epoch=epoch + 1,
            loss=loss,
            accuracy=acc if HAS_ACCURACY else None,
            val_loss=val_loss,
            val_accuracy=val_acc,
            seconds=time.perf_counter() - start,
        )
        if state["stopped"]:
            break
    weights = control.out_dir / "model.pt"
    torch.save(model.state_dict(), weights)
    test_loss, test_acc = evaluate(model, t["x_test"], t["y_test"], args.batch_size)
    control.emit(
        "end",
        test_loss=test_loss,
        test_accuracy=test_acc,
        weights=str(weights),
        stopped=state["stopped"],
    )$generate


def main(argv=None):
    args = parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    control = Control(out_dir, args.progress)
    try:
        run(args, control)
    except FloatingPointError as err:
        control.emit("error", message=f"training stopped: {err}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
