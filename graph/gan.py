"""A GAN in one graph: a generator (Noise Input → … → Generated) and a discriminator (Input → … → Binary).

The two networks are two separate parts of the canvas. ``gan_parts`` finds them; the analysis turns
what does not fit (no discriminator, a discriminator that reads something else than the generator
makes) into diagnostics with fixes, and both scripts train the two in turns (docs/equivalence.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.model import Graph

NOISE, GENERATED, BINARY = "input.noise", "output.generated", "output.binary"


@dataclass
class GanParts:
    noise: str  # the Noise Input
    generated: str  # the Generated head
    generator: set[str]  # every node of the generator, both ends included
    real: str | None = None  # the discriminator's Input
    critic: str | None = None  # the discriminator's Binary head
    discriminator: set[str] = field(default_factory=set)
    problems: list[tuple[str | None, str, str]] = field(default_factory=list)  # (node, message, fix)


def is_gan(graph: Graph) -> bool:
    return graph.has_type(GENERATED)


def gan_parts(graph: Graph) -> GanParts | None:
    """The generator and discriminator of a graph with a Generated head (None without one)."""
    if not graph.has_type(GENERATED):
        return None
    generated = [n.id for n in graph.nodes() if n.type == GENERATED]
    if not generated:
        return None
    noise = [n.id for n in graph.nodes() if n.type == NOISE]
    head = generated[0]
    generator = graph.ancestors(head) | {head}
    parts = GanParts(noise[0] if noise else "", head, generator)
    if len(generated) > 1:
        parts.problems.append((generated[1], "a GAN has one Generated head", "delete the other Generated heads"))
    feeding = [n for n in noise if n in generator]
    if len(feeding) != 1:
        parts.problems.append(
            (head, "the generator must start from exactly one Noise Input", "connect one Noise Input to the generator")
        )
    others = [n for n in generator if graph.spec(n).is_input and graph.node(n).type != NOISE]
    if others:
        names = ", ".join(graph.node(n).name for n in others)
        parts.problems.append(
            (head, f"the generator reads {names}; it may read only noise", "feed it from a Noise Input")
        )
    critics = [n.id for n in graph.nodes() if n.type == BINARY and n.id not in generator]
    if len(critics) != 1:
        parts.problems.append(
            (
                head,
                f"a GAN needs one discriminator ending in a Binary head (found {len(critics)})",
                "add a discriminator: an Input shaped like the generated samples → layers → Dense(1) → Binary",
            )
        )
        return parts
    parts.critic = critics[0]
    parts.discriminator = graph.ancestors(parts.critic) | {parts.critic}
    inputs = [n for n in parts.discriminator if graph.spec(n).is_input]
    if len(inputs) != 1 or graph.node(inputs[0]).type == NOISE or parts.discriminator & generator:
        parts.problems.append(
            (
                parts.critic,
                "the discriminator must read one Input of its own (real or generated samples)",
                "start the discriminator from an Input shaped like the generated samples, separate from the generator",
            )
        )
        return parts
    parts.real = inputs[0]
    extra = [n.id for n in graph.nodes() if n.id not in generator | parts.discriminator and graph.spec(n.id).is_head]
    for nid in extra:
        parts.problems.append((nid, "a GAN trains only its generator and discriminator", "delete this head"))
    return parts
