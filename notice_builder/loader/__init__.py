"""Load content/*.yaml into the validated model (the work is in ``loader.content``).

The names below are imported on first use (PEP 562): a command that needs only the
safe YAML reader (``loader.yaml_source``), such as ``check --site-dir`` reading the
site settings, does not import the model and pydantic with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from notice_builder.loader.content import ContentSources, LoadResult, load_content

__all__ = ["ContentSources", "LoadResult", "load_content"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from notice_builder.loader import content

        return getattr(content, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
