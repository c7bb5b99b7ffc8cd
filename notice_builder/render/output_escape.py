"""How the templates escape what ``{{ ... }}`` outputs: exactly as markupsafe does, faster.

A page has some 550 outputs, two thirds of them plain strings (ids, links, language
names). markupsafe 3 escapes a string in C but wraps the result in a ``Markup`` through
a Python-level constructor, and copies a ``Markup`` it is given; that was about 6% of
the instructions of rendering a page. :func:`escape_output` takes markupsafe's own C
escaping (``_escape_inner``) and makes the ``Markup`` directly; anything else goes to
``markupsafe.escape``. The result is the same object value, byte for byte, which the
tests check for any text. Without ``_escape_inner`` (another markupsafe), it is
``markupsafe.escape`` itself.

:class:`EscapingCodeGenerator` is Jinja's code generator with that one change: an
autoescaped output calls ``environment.escape_output(...)`` instead of ``escape(...)``.
Outputs whose escaping is decided at run time (``{% autoescape %}`` with a variable),
unescaped outputs, filters and concatenation are generated as Jinja generates them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import markupsafe
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup

ESCAPE_CALL = "environment.escape_output("
"""How the generated code calls :func:`escape_output` (the environment is a global there)."""

_ESCAPE_INNER: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
_escape_text = cast("Callable[[str], str]", _ESCAPE_INNER)  # used only when it is there
# Markup(text) without Markup.__new__, whose only step before this is the __html__ one
_new_markup = cast("Callable[[type[Markup], object], Markup]", str.__new__)


def _escape_output(value: object) -> Markup:
    """``markupsafe.escape(value)``, each step as it takes it."""
    if type(value) is str:
        return _new_markup(Markup, _escape_text(value))
    if type(value) is Markup:
        return value  # immutable: escape would make an equal copy
    if hasattr(value, "__html__"):
        html = value.__html__()
        if hasattr(html, "__html__"):
            html = html.__html__()
        return _new_markup(Markup, html)
    return markupsafe.escape(value)


escape_output: Callable[[object], Markup] = (
    _escape_output if _ESCAPE_INNER is not None else markupsafe.escape
)


class EscapingCodeGenerator(CodeGenerator):
    """Generates ``environment.escape_output(x)`` for an autoescaped ``{{ x }}``."""

    def _output_child_pre(self, node: Any, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write(ESCAPE_CALL)
        if finalize.src is not None:
            self.write(finalize.src)
