"""The PyTorch backend: one renderer per layer type (an ``nn.Module`` attribute plus a forward line)."""

from __future__ import annotations

from codegen.backend import Ctx, Rendered, Unsupported
from codegen.emitter import Step
from codegen.layout import pool_pads, sides
from codegen.pyfmt import call, lit

ACT_FN = {
    "relu": "torch.relu",
    "sigmoid": "torch.sigmoid",
    "tanh": "torch.tanh",
    "gelu": "F.gelu",
    "elu": "F.elu",
}


def _self(step: Step) -> str:
    return f"self.{step.name}"


def _pair(values) -> str:
    values = list(values)
    return lit(values[0]) if len(set(values)) == 1 else lit(tuple(values))


def _module(step: Step, expr, apply=None) -> Rendered:
    """The common case: ``self.name = expr`` and ``var = self.name(x)``."""
    return Rendered(build=[(_self(step), expr)], apply=[(step.var, apply or call(_self(step), step.x))])


def _simple(ctor: str, **kw):
    return lambda step, ctx: _module(step, call(ctor, **{k: v(step.params) for k, v in kw.items()}))


def _input(step: Step, ctx: Ctx) -> Rendered:
    return Rendered()


def _dense(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    kw = {} if p["use_bias"] else {"bias": "False"}
    r = _module(step, call("nn.Linear", lit(step.t.last), lit(p["units"]), **kw))
    act = p["activation"]
    if act in ("linear",) or step.fold:
        return r
    inner = call(_self(step), step.x)
    if act == "softmax":
        r.apply = [(step.var, call("torch.softmax", inner, dim="-1"))]
    else:
        if act in ("gelu", "elu"):
            ctx.imports.add("F")
        r.apply = [(step.var, call(ACT_FN[act], inner))]
    return r


def _flatten(step: Step, ctx: Ctx) -> Rendered:
    return _module(step, call("nn.Flatten"))


def _reshape(step: Step, ctx: Ctx) -> Rendered:
    dims = ", ".join(str(d) for d in step.out.features)
    return Rendered(apply=[(step.var, f"{step.x}.reshape(-1, {dims})")])


def _permute(step: Step, ctx: Ctx) -> Rendered:
    order = ", ".join(str(a) for a in step.params["order"])
    return Rendered(apply=[(step.var, f"{step.x}.permute(0, {order})")])


def _dropout(step: Step, ctx: Ctx) -> Rendered:
    rate, axes = lit(step.params["rate"]), step.t.axes
    if step.params["spatial"] and axes == ("N", "C", "H", "W"):
        return _module(step, call("nn.Dropout2d", p=rate))
    if step.params["spatial"] and axes == ("N", "C", "L"):
        return _module(step, call("nn.Dropout1d", p=rate))
    if step.params["spatial"] and axes == ("N", "T", "F"):
        # Keras SpatialDropout1D drops whole features of a sequence: channels are last here.
        inner = call(_self(step), f"{step.x}.transpose(1, 2)")
        return _module(step, call("nn.Dropout1d", p=rate), f"{inner.flat()}.transpose(1, 2)")
    return _module(step, call("nn.Dropout", p=rate))


def _softmax(step: Step, ctx: Ctx) -> Rendered:
    return _module(step, call("nn.Softmax", dim=lit(step.params["axis"])))


# ----------------------------------------------------------------------------- convolution


def _conv_padding(step: Step, ctx: Ctx, pads: list[int], dims: int, r: Rendered):
    """Symmetric padding goes into the layer; otherwise an explicit ZeroPad layer comes first."""
    per_axis = sides(pads)
    if all(b == a for b, a in per_axis):
        return _pair(b for b, _ in per_axis), step.x
    pad = ctx.aux(step, "pad")
    torch_order = tuple(v for b, a in reversed(per_axis) for v in (b, a))  # F.pad order: last axis first
    r.build.append((f"self.{pad}", call(f"nn.ZeroPad{dims}d", lit(torch_order))))
    return "0", call(f"self.{pad}", step.x).flat()


def _conv2d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    padding, x = _conv_padding(step, ctx, p["padding"], 2, r)
    kw = {"kernel_size": _pair(p["kernel_size"]), "stride": _pair(p["strides"]), "padding": padding}
    if max(p["dilation"]) > 1:
        kw["dilation"] = _pair(p["dilation"])
    if p["groups"] > 1:
        kw["groups"] = lit(p["groups"])
    if not p["use_bias"]:
        kw["bias"] = "False"
    r.build.append((_self(step), call("nn.Conv2d", lit(step.t.dims[1]), lit(p["filters"]), **kw)))
    r.apply.append((step.var, call(_self(step), x)))
    return r


def _conv1d(step: Step, ctx: Ctx) -> Rendered:
    p, r = step.params, Rendered()
    padding, x = _conv_padding(step, ctx, p["padding"], 1, r)
    kw = {"kernel_size": lit(p["kernel_size"]), "stride": lit(p["stride"]), "padding": padding}
    if p["dilation"] > 1:
        kw["dilation"] = lit(p["dilation"])
    if not p["use_bias"]:
        kw["bias"] = "False"
    r.build.append((_self(step), call("nn.Conv1d", lit(step.t.dims[1]), lit(p["filters"]), **kw)))
    r.apply.append((step.var, call(_self(step), x)))
    return r


def _conv2d_transpose(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    (t, b), (left, right) = sides(p["padding"])
    symmetric = t == b and left == right
    kw = {"kernel_size": _pair(p["kernel_size"]), "stride": _pair(p["strides"])}
    kw["padding"] = _pair((t, left)) if symmetric else "0"
    if max(p["output_padding"]) > 0:
        kw["output_padding"] = _pair(p["output_padding"])
    if max(p["dilation"]) > 1:
        kw["dilation"] = _pair(p["dilation"])
    if not p["use_bias"]:
        kw["bias"] = "False"
    r = _module(step, call("nn.ConvTranspose2d", lit(step.t.dims[1]), lit(p["filters"]), **kw))
    if not symmetric:  # crop each side explicitly (PyTorch's padding crops symmetrically)
        _, _, h, w = step.out.dims
        crop = f"[:, :, {t} : {t + h}, {left} : {left + w}]"
        r.apply = [(step.var, call(_self(step), step.x).flat() + crop)]
    return r


def _upsampling2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    kw = {"scale_factor": lit(tuple(p["scale"])), "mode": lit(p["interpolation"])}
    if p["interpolation"] == "bilinear":
        kw["align_corners"] = "False"
    return _module(step, call("nn.Upsample", **kw))


def _zero_padding2d(step: Step, ctx: Ctx) -> Rendered:
    t, b, left, right = step.params["padding"]
    return _module(step, call("nn.ZeroPad2d", lit((left, right, t, b))))


# ----------------------------------------------------------------------------- pooling


def _maxpool(step: Step, ctx: Ctx, dims: int, k, s, pads) -> Rendered:
    sizes = step.t.dims[2:]
    ceil = step.params["ceil_mode"]
    per_axis = sides(pads)
    kw = {"kernel_size": _pair(k), "stride": _pair(s)}
    if all(b == a for b, a in per_axis):
        if any(b for b, _ in per_axis):
            kw["padding"] = _pair(b for b, _ in per_axis)
        if ceil:
            kw["ceil_mode"] = "True"
        return _module(step, call(f"nn.MaxPool{dims}d", **kw))
    # Asymmetric: pad with -inf explicitly (as max pooling does), then pool without padding.
    explicit = [pool_pads(n, kk, ss, b, a, ceil) for n, kk, ss, (b, a) in zip(sizes, k, s, per_axis, strict=True)]
    ctx.imports.add("math")
    pad = ctx.aux(step, "pad")
    order = tuple(v for b, a in reversed(explicit) for v in (b, a))
    r = _module(step, call(f"nn.MaxPool{dims}d", **kw), call(_self(step), call(f"self.{pad}", step.x)))
    r.build.insert(0, (f"self.{pad}", call(f"nn.ConstantPad{dims}d", lit(order), "-math.inf")))
    return r


def _maxpool2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _maxpool(step, ctx, 2, p["pool_size"], p["strides"], p["padding"])


def _maxpool1d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _maxpool(step, ctx, 1, [p["pool_size"]], [p["stride"]], p["padding"])


def _avgpool2d(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    per_axis = sides(p["padding"])
    kw = {"kernel_size": _pair(p["pool_size"]), "stride": _pair(p["strides"])}
    if all(b == a for b, a in per_axis):
        if any(b for b, _ in per_axis):
            kw["padding"] = _pair(b for b, _ in per_axis)
        if p["ceil_mode"]:
            kw["ceil_mode"] = "True"
        if not p["count_include_pad"]:
            kw["count_include_pad"] = "False"
        return _module(step, call("nn.AvgPool2d", **kw))
    if p["ceil_mode"] or not p["count_include_pad"]:
        raise Unsupported("average pooling with unequal padding needs count_include_pad on and ceil_mode off")
    pad = ctx.aux(step, "pad")
    t, b, left, right = p["padding"]
    r = _module(step, call("nn.AvgPool2d", **kw), call(_self(step), call(f"self.{pad}", step.x)))
    r.build.insert(0, (f"self.{pad}", call("nn.ZeroPad2d", lit((left, right, t, b)))))
    return r


def _global(fn: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        dims = "(2, 3)" if step.t.rank == 4 else ("1" if step.t.axes == ("N", "T", "F") else "2")
        return Rendered(apply=[(step.var, call(fn, step.x, dim=dims))])

    return render


# ----------------------------------------------------------------------------- normalisation


def _batch_norm(step: Step, ctx: Ctx) -> Rendered:
    p, t = step.params, step.t
    cls = "nn.BatchNorm2d" if t.rank == 4 else "nn.BatchNorm1d"
    channels = t.dims[1] if t.channels_first else t.last
    kw = {"eps": lit(p["epsilon"]), "momentum": lit(p["momentum"])}
    r = _module(step, call(cls, lit(channels), **kw))
    if t.axes == ("N", "T", "F"):  # features are last in a sequence; BatchNorm1d wants them second
        r.apply = [(step.var, call(_self(step), f"{step.x}.transpose(1, 2)").flat() + ".transpose(1, 2)")]
    return r


def _layer_norm(step: Step, ctx: Ctx) -> Rendered:
    shape = _norm_shape(step)
    return _module(step, call("nn.LayerNorm", lit(shape), eps=lit(step.params["epsilon"])))


def _norm_shape(step: Step):
    t = step.t
    return t.last if not t.channels_first else list(t.features)


def _embedding(step: Step, ctx: Ctx) -> Rendered:
    p = step.params
    return _module(step, call("nn.Embedding", lit(p["input_dim"]), lit(p["output_dim"])))


# ----------------------------------------------------------------------------- recurrent


def _recurrent(cls: str, single_bias: bool):
    def render(step: Step, ctx: Ctx) -> Rendered:
        p = step.params
        kw = {"batch_first": "True"}
        if p.get("activation", "tanh") != "tanh":
            kw["nonlinearity"] = lit(p["activation"])
        if p.get("bidirectional"):
            kw["bidirectional"] = "True"
        r = _module(step, call(cls, lit(step.t.last), lit(p["units"]), **kw))
        if single_bias:
            r.comments.append("# Keras has one recurrent bias: keep PyTorch's second one at zero and frozen.")
            suffixes = ["", "_reverse"] if p.get("bidirectional") else [""]
            for sfx in suffixes:
                r.build.append(("", call("nn.init.zeros_", f"self.{step.name}.bias_hh_l0{sfx}")))
                r.build.append(("", call(f"self.{step.name}.bias_hh_l0{sfx}.requires_grad_", "False")))
        seq, state = call(_self(step), step.x), "_"
        if p["return_sequences"]:
            r.apply = [(f"{step.var}, _", seq)]
        elif p.get("bidirectional"):
            h = "(h, _)" if cls == "nn.LSTM" else "h"
            r.apply = [(f"_, {h}", seq), (step.var, call("torch.cat", "[h[-2], h[-1]]", dim="1"))]
        else:
            r.apply = [(f"{step.var}, {state}", seq), (step.var, f"{step.var}[:, -1]")]
        return r

    return render


# ----------------------------------------------------------------------------- merge


def _merge(op: str):
    def render(step: Step, ctx: Ctx) -> Rendered:
        return Rendered(apply=[(step.var, f" {op} ".join(step.inputs))])

    return render


def _concatenate(step: Step, ctx: Ctx) -> Rendered:
    items = "[" + ", ".join(step.inputs) + "]"
    return Rendered(apply=[(step.var, call("torch.cat", items, dim=lit(step.params["axis"])))])


RENDERERS = {
    "input.vector": _input,
    "input.image": _input,
    "input.sequence": _input,
    "input.signal": _input,
    "input.tokens": _input,
    "dense": _dense,
    "flatten": _flatten,
    "reshape": _reshape,
    "permute": _permute,
    "dropout": _dropout,
    "relu": _simple("nn.ReLU"),
    "leaky_relu": _simple("nn.LeakyReLU", negative_slope=lambda p: lit(p["negative_slope"])),
    "sigmoid": _simple("nn.Sigmoid"),
    "tanh": _simple("nn.Tanh"),
    "softmax": _softmax,
    "gelu": _simple("nn.GELU", approximate=lambda p: lit(p["approximate"])),
    "elu": _simple("nn.ELU", alpha=lambda p: lit(p["alpha"])),
    "silu": _simple("nn.SiLU"),
    "softplus": _simple("nn.Softplus"),
    "conv1d": _conv1d,
    "conv2d": _conv2d,
    "conv2d_transpose": _conv2d_transpose,
    "upsampling2d": _upsampling2d,
    "zero_padding2d": _zero_padding2d,
    "maxpool1d": _maxpool1d,
    "maxpool2d": _maxpool2d,
    "avgpool2d": _avgpool2d,
    "global_avg_pool": _global("torch.mean"),
    "global_max_pool": _global("torch.amax"),
    "batch_norm": _batch_norm,
    "layer_norm": _layer_norm,
    "embedding": _embedding,
    "simple_rnn": _recurrent("nn.RNN", True),
    "lstm": _recurrent("nn.LSTM", True),
    "gru": _recurrent("nn.GRU", False),
    "add": _merge("+"),
    "multiply": _merge("*"),
    "concatenate": _concatenate,
}
