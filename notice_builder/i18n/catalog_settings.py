"""What the translation commands take from the site settings: the gettext domain, and
the languages that need a catalog with what a missing translation does in each.

A folder of catalogs without content (a translator's copy) has gettext's defaults.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from notice_builder.diagnostics import Diagnostic, Location, Severity, display_path
from notice_builder.project import DEFAULT_DOMAIN, Project

MISSING = "i18n.catalog.missing"


@dataclass(frozen=True)
class CatalogSettings:
    """The site's catalogs: how they are named, and which languages need one."""

    domain: str = DEFAULT_DOMAIN
    policies: Mapping[str, str] = field(default_factory=dict)
    """Each translated language of the site and its missing-translation policy
    (``error`` or ``fallback``)."""
    source: str | None = None
    """The source language's catalog name; None without content."""

    def publishes(self, catalog: str) -> bool:
        """Whether the site publishes the language of a catalog (by its folder name);
        True without content, where the site is not known."""
        return self.source is None or catalog in map(catalog_name, self.policies)

    def without_catalog(self, project: Project) -> list[tuple[str, Path]]:
        """The translated languages whose catalog does not exist, and where it belongs."""
        paths = [(language, self.catalog_path(project, language)) for language in self.policies]
        return [(language, path) for language, path in paths if not path.is_file()]

    def catalog_path(self, project: Project, language: str) -> Path:
        return project.po_path(catalog_name(language), self.domain)

    def catalog_policies(self) -> dict[str, str]:
        """The policies by catalog name (``pt_BR``), as catalogs are named on disk."""
        return {catalog_name(language): policy for language, policy in self.policies.items()}


def catalog_settings(project: Project, outcome: str) -> CatalogSettings:
    """The settings of the project's content; raises BuildFailed, saying ``outcome``,
    when it has errors (the domain the catalogs are named by is not known then)."""
    if not project.content_dir.is_dir():
        return CatalogSettings()
    from notice_builder.i18n.extract import load_checked

    content = load_checked(project, outcome).content
    assert content is not None
    site = content.site
    translated = [language for language in site.languages if language != site.source_language]
    policies = {language: site.policy_for(language) for language in translated}
    return CatalogSettings(site.domain, policies, catalog_name(site.source_language))


def catalog_name(locale: str) -> str:
    """gettext folder names use underscores: ``pt-BR`` -> ``pt_BR``."""
    return locale.replace("-", "_")


def untranslated_outcome(policy: str | None) -> tuple[Severity, str]:
    """How serious an untranslated message is under its language's missing_translations
    policy, and what the build does with it; None where the site is not known."""
    if policy == "error":
        return Severity.ERROR, f"the build fails where a page shows it ({_SETTING}: error)"
    if policy == "fallback":
        return Severity.WARNING, f"pages show the source text instead ({_SETTING}: fallback)"
    return Severity.WARNING, f"the site's {_SETTING} says whether the build fails"


_SETTING = "missing_translations"


def missing_catalog(path: Path, language: str, policy: str) -> Diagnostic:
    """A published language without a catalog: an error, or a warning where the
    language falls back to the source text. When its catalog is in a folder spelled
    otherwise (``locales/pt-BR`` for ``locales/pt_BR``), the hint says to rename it."""
    severity = Severity.ERROR if policy == "error" else Severity.WARNING
    message = f"there is no catalog for '{language}' at {Location.of(path)}"
    hint = f"run `notice-builder i18n extract` and `notice-builder i18n init {language}`"
    misnamed = spelled_otherwise(path)
    if misnamed is not None:
        message += f"; {display_path(misnamed)} holds one, in a folder gettext does not read"
        hint = f"rename {display_path(misnamed)} to {display_path(path.parents[1])}"
    return Diagnostic(MISSING, severity, message, Location.of(path), hint)


def folder_spelling(name: str) -> str:
    """A catalog folder's name whatever its separator and case: ``pt-BR``, ``pt_br`` and
    ``pt_BR`` name one language's folder, which gettext looks for as ``pt_BR``."""
    return name.replace("-", "_").lower()


def spelled_otherwise(path: Path) -> Path | None:
    """The folder holding the catalog ``path`` names under another spelling of its
    language (``pt-BR`` or ``pt_br`` for ``pt_BR``), if there is one."""
    folder = path.parents[1]
    wanted = folder_spelling(folder.name)
    with contextlib.suppress(OSError):
        for other in sorted(folder.parent.iterdir()):
            same = other.name != folder.name and folder_spelling(other.name) == wanted
            if same and (other / path.parent.name / path.name).is_file():
                return other
    return None
