"""What a translation lacks or adds against its source text: the placeholders, link
targets and addresses that ``i18n check`` compares (``quality.RULES``), worded once.

The build compares the placeholders too (:func:`placeholder_difference`): a translation
that drops or misspells a ``{party.field}`` placeholder is not used (``translations``),
as the page would lose what it stands for (the DPO's address) or show it as written
(``{dpo.Email}``). Other braces (``{{ 7*7 }}``) are shown as text, escaped; ``i18n
check`` reports them.
"""

from __future__ import annotations

import re
from collections import Counter

PLACEHOLDER_CODE = "i18n.placeholder"
PLACEHOLDER_HINT = (
    "Copy each {party.field} placeholder exactly as the source writes it, braces "
    "included; it is replaced by a value when the site is built."
)
# {party.field}, with every brace around it: {{dpo.email}} shows the braces around the
# address on the page, so it is not the source's {dpo.email}. Possessive, and it starts
# at a run's first brace only: the text is untrusted, and may be long.
PLACEHOLDER_PATTERN = re.compile(r"(?<!\{)\{++[^{}]*+\}++")


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER_PATTERN.findall(text)


# A dotted name in braces, in any case and with or without spaces: what a placeholder
# written right or wrong looks like (the inner braces of {{dpo.email}} too).
PLACEHOLDER_LIKE = re.compile(r"\{\s*+[A-Za-z0-9][\w-]*+\s*+\.\s*+[A-Za-z_][\w-]*+\s*+\}")


def placeholder_difference(source: str, target: str, *, strict: bool) -> str:
    """How the placeholder-like parts of ``target`` differ from those of ``source`` (''
    if they do not): a placeholder dropped, added, or written otherwise."""
    if "{" not in source and "{" not in target:
        return ""
    had, has = PLACEHOLDER_LIKE.findall(source), PLACEHOLDER_LIKE.findall(target)
    return difference("placeholders", had, has, strict=strict)


def difference(
    label: str, source: list[str], target: list[str], *, strict: bool, may_drop: bool = False
) -> str:
    """The differences in words ('' when there are none): what the translation lacks or
    adds, and (where it must match the source, ``strict``) what it has more or fewer
    times. With ``may_drop``, only what it adds is wrong (HTML tags)."""
    had, has = Counter(source), Counter(target)
    missing = [item for item in had if item not in has] if strict and not may_drop else []
    added = [item for item in has if item not in had]
    parts = [f"missing {', '.join(sorted(missing))}"] if missing else []
    parts += [f"not in the source: {', '.join(sorted(added))}"] if added else []
    both = sorted(item for item in has if item in had and has[item] != had[item]) if strict else []
    parts += [
        _recounted(item, has[item], had[item])
        for item in both
        if has[item] > had[item] or not may_drop
    ]
    return f"{label} differ from the source text: {'; '.join(parts)}" if parts else ""


def _recounted(item: str, count: int, in_source: int) -> str:
    return f"{item} appears {_times(count)}, the source has it {_times(in_source)}"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"
