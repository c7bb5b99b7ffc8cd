"""Where a build puts each page of a site: the renderer writes them there, and the
checks of a built site (``check --site-dir``) expect them there."""

from __future__ import annotations


def page_path(locale: str, notice_id: str) -> str:
    """Where a notice page goes, relative to the output folder."""
    return f"{locale}/{notice_id}.html"
