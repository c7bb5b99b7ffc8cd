"""Load content/*.yaml into the validated model, collecting every problem on the way."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from notice_builder.diagnostics import Diagnostic, Location, Severity, error
from notice_builder.diagnostics_cache import cached_diagnostics, files_key
from notice_builder.loader.model_cache import kept_model, validate
from notice_builder.loader.schema_errors import schema_diagnostics
from notice_builder.loader.sources import ContentSources, Origin
from notice_builder.loader.xref import check_references
from notice_builder.loader.yaml_cache import load_yaml_many
from notice_builder.loader.yaml_data import LoadedYaml, YamlProblem
from notice_builder.model import Content, ContentFile
from notice_builder.model.site import Site

__all__ = ["ContentSources", "LoadResult", "load_content"]

CONTENT_SUFFIXES = (".yaml", ".yml")
# The codes of problems that leave no content to validate.
UNREADABLE = ("yaml.", "content.")


@dataclass(frozen=True)
class LoadResult:
    """The content (None when it could not be built), its sources, and every problem."""

    content: Content | None
    sources: ContentSources
    diagnostics: list[Diagnostic]
    key: str = ""
    """A hash of every content file (empty without a cache): names checks of the content."""
    digests: dict[Path, str] = field(default_factory=dict)
    """Each file's name and bytes hashed, as they were read (empty when one was unreadable)."""

    @property
    def unreadable(self) -> bool:
        """Whether the content could not be read at all (a file that is no YAML, no
        content files), rather than read with errors of its fields."""
        return self.content is None and any(
            problem.code.startswith(UNREADABLE) for problem in self.diagnostics
        )


def load_content(
    content_dir: Path, cache: Path | None = None, jobs: int | None = None
) -> LoadResult:
    """Read every ``*.yaml`` file of a content folder and validate it as one site.

    With ``cache``, files parsed by an earlier build are read back from that folder.
    Many files are parsed on up to ``jobs`` processes (default: one per core).
    """
    files, problems = content_files(content_dir)
    sources = ContentSources(files=files)
    if not files:
        problems.append(
            error(
                "content.empty",
                f"no .yaml files in {Location.of(content_dir)}",
                Location.of(content_dir),
                "run the command in a project folder, or point --content at one",
            )
        )
        return LoadResult(None, sources, problems)
    loaded = load_yaml_many(files, cache, jobs)
    digests = loaded.digests or [""] * len(files)
    documents = zip(files, loaded.documents, digests, strict=True)
    checked = (_validated(*document, cache, sources, problems) for document in documents)
    parsed = [part for part in checked if part is not None]
    content = _assemble(parsed, sources, problems)
    key = files_key(loaded.digests) if cache is not None and loaded.digests else ""
    if content is not None:
        found = partial(check_references, content, sources)
        problems.extend(cached_diagnostics(cache, f"references-{key}", found) if key else found())
    hashed = dict(zip(files, loaded.digests, strict=True)) if loaded.digests else {}
    valid = content if not _has_errors(problems) else None
    return LoadResult(valid, sources, problems, key, hashed)


def content_files(content_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The content files: every ``*.yaml`` and ``*.yml`` file directly in the folder.

    Any other YAML file below it, which the build would skip without a word, gets a
    warning: one in a subfolder (``content/notices/privacy.yaml``), or one whose name
    ends in another case (``privacy.YAML``). Hidden folders are not looked into.
    """
    files: list[Path] = []
    skipped: list[Path] = []
    with contextlib.suppress(OSError):  # no folder, no files: content.empty says so
        for entry in os.scandir(content_dir):
            suffix = Path(entry.name).suffix
            if suffix in CONTENT_SUFFIXES:
                files.append(Path(entry.path))  # a folder so named is reported unreadable
            elif suffix.lower() in CONTENT_SUFFIXES:
                skipped.append(Path(entry.path))
            elif entry.is_dir() and not entry.name.startswith("."):
                skipped.extend(_yaml_files_below(Path(entry.path)))
    return sorted(files), [_not_read(path, content_dir) for path in sorted(skipped)]


def _yaml_files_below(folder: Path) -> Iterator[Path]:
    for parent, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if Path(name).suffix.lower() in CONTENT_SUFFIXES:
                yield Path(parent, name)


def _not_read(path: Path, content_dir: Path) -> Diagnostic:
    folder = f"{Location.of(content_dir)}/"
    if path.parent == content_dir:
        why = "a content file's name ends in .yaml or .yml, in lower case"
        fix = f"rename it to {path.stem}{path.suffix.lower()}"
    else:
        why = f"the content files are the YAML files directly in {folder}"
        fix = f"move it into {folder}"
    return Diagnostic(
        "content.not-read",
        Severity.WARNING,
        f"this file is not read: {why}",
        Location.of(path),
        f"{fix}, or give it another suffix if it is not content",
    )


def _validated(
    file: Path,
    loaded: LoadedYaml | YamlProblem,
    digest: str,
    cache: Path | None,
    sources: ContentSources,
    problems: list[Diagnostic],
) -> tuple[LoadedYaml, ContentFile] | None:
    """The file's validated model, or None with its problems added (and the parties it
    may declare noted in ``sources``)."""
    if isinstance(loaded, YamlProblem):
        problems.append(loaded.diagnostic)
        sources.rejected_parties = None  # which parties it declares is not known
        return None
    kept = kept_model(digest, cache)  # validated before: the data is never decoded
    if kept is not None:
        return loaded, kept
    try:
        data = loaded.data
    except YamlProblem as problem:  # a damaged cache entry, and the file no longer parses
        problems.append(problem.diagnostic)
        sources.rejected_parties = None
        return None
    if data is None:
        problems.append(
            error(
                "yaml.empty",
                "the file is empty",
                Location.of(file, 1, 1),
                "delete it or add content",
            )
        )
        return None
    try:
        return loaded, validate(loaded, digest, cache)
    except ValidationError as invalid:
        problems.extend(schema_diagnostics(invalid, ContentFile, loaded.source_map, file))
        sources.reject_parties(data)
        return None


def _assemble(
    parsed: list[tuple[LoadedYaml, ContentFile]],
    sources: ContentSources,
    problems: list[Diagnostic],
) -> Content | None:
    sites: list[tuple[Site, Origin]] = []
    for loaded, part in parsed:
        if part.site is not None:
            sites.append((part.site, Origin(loaded.path, loaded.source_map, ("site",))))
        _register_parties(loaded, part, sources, problems)
        _register_notice(loaded, part, sources, problems)
    if not sites:
        if not _has_errors(problems):
            problems.append(_no_site(sources.files[0].parent))
        return None
    for _, extra in sites[1:]:
        problems.append(_second_site(extra, sites[0][1]))
    sources.site = sites[0][1]
    parties = {party.id: party for _, part in parsed for party in part.parties}
    notices = tuple(part.notice for _, part in parsed if part.notice is not None)
    return Content(sites[0][0], parties, notices)


def _register_parties(
    loaded: LoadedYaml, part: ContentFile, sources: ContentSources, problems: list[Diagnostic]
) -> None:
    for index, party in enumerate(part.parties):
        origin = Origin(loaded.path, loaded.source_map, ("parties", index))
        if party.id in sources.parties:
            problems.append(_duplicate("party", party.id, origin, sources.parties[party.id]))
            continue
        sources.parties[party.id] = origin


def _register_notice(
    loaded: LoadedYaml, part: ContentFile, sources: ContentSources, problems: list[Diagnostic]
) -> None:
    if part.notice is None:
        return
    origin = Origin(loaded.path, loaded.source_map, ("notice",))
    if part.notice.id in sources.notices:
        problems.append(
            _duplicate("notice", part.notice.id, origin, sources.notices[part.notice.id])
        )
        return
    sources.notices[part.notice.id] = origin


def _duplicate(kind: str, ident: str, origin: Origin, first: Origin) -> Diagnostic:
    return error(
        "ref.duplicate-id",
        f"the {kind} id '{ident}' is used twice (first at {first.locate(('id',))})",
        origin.locate(("id",)),
        f"give each {kind} its own id",
    )


def _no_site(folder: Path) -> Diagnostic:
    return error(
        "content.site-missing",
        "no content file has a `site:` key with the site settings",
        Location.of(folder),
        "add content/site.yaml with `site:` and at least base_url, source_language and languages",
    )


def _second_site(extra: Origin, first: Origin) -> Diagnostic:
    return error(
        "content.site-duplicate",
        f"site settings are given twice (first at {first.locate()})",
        extra.locate(),
        "keep the `site:` key in one file only",
    )


def _has_errors(problems: list[Diagnostic]) -> bool:
    return any(problem.severity.value == "error" for problem in problems)
