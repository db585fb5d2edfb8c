"""The one Jinja2 environment that builds the generated scripts from ``codegen/templates``.

Templates hold the fixed protocol code (data loading, progress events, the training loop, main);
Python decides what varies and passes it in as flags and pre-formatted code. User text reaches a
template only as a literal made by :func:`codegen.pyfmt.lit` (the ``lit`` filter), never raw.
See docs/scripts.md.
"""

from __future__ import annotations

import jinja2

from codegen.pyfmt import lit

ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("codegen", "templates"),
    undefined=jinja2.StrictUndefined,  # a missing variable is an error, never an empty string
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,  # Python source, not HTML
)
ENV.filters["lit"] = lit


def render(name: str, **context) -> str:
    """The template ``name`` rendered with ``context``."""
    return ENV.get_template(name).render(context)


def render_around_model(name: str, **context) -> tuple[str, str]:
    """The script template's two halves, the macros ``before_model()`` and ``after_model()``.

    The model between them is emitted node by node through the Emitter, which maps nodes to lines.
    """
    module = ENV.get_template(name).make_module(context)
    return str(module.before_model()), str(module.after_model())
