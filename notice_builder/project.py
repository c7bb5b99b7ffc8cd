"""Where a project's files live: the folders every command works on by default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notice_builder.paths import resolved

DEFAULT_DOMAIN = "notices"


@dataclass(frozen=True)
class Project:
    """The folders of one notice site. With no options, all are below the current folder."""

    root: Path
    content_dir: Path
    locales_dir: Path
    templates_dir: Path
    output_dir: Path

    @classmethod
    def at(
        cls,
        root: Path | None = None,
        *,
        content: Path | None = None,
        locales: Path | None = None,
        templates: Path | None = None,
        output: Path | None = None,
    ) -> Project:
        base = resolved(root or Path.cwd())
        return cls(
            root=base,
            content_dir=_under(base, content, "content"),
            locales_dir=_under(base, locales, "locales"),
            templates_dir=_under(base, templates, "templates"),
            output_dir=_under(base, output, "output"),
        )

    def pot_path(self, domain: str = DEFAULT_DOMAIN) -> Path:
        """The extracted template catalog, ``locales/<domain>.pot``."""
        return self.locales_dir / f"{domain}.pot"

    def po_path(self, locale: str, domain: str = DEFAULT_DOMAIN) -> Path:
        """One translation catalog, ``locales/<locale>/LC_MESSAGES/<domain>.po``."""
        return self.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def catalog_locales(self, domain: str = DEFAULT_DOMAIN) -> list[str]:
        """Locales that have a catalog on disk, sorted."""
        if not self.locales_dir.is_dir():
            return []
        found = self.locales_dir.glob(f"*/LC_MESSAGES/{domain}.po")
        return sorted(path.parts[-3] for path in found)


def _under(base: Path, given: Path | None, default: str) -> Path:
    if given is None:
        return base / default
    return given if given.is_absolute() else (base / given)
