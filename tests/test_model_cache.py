"""Validated content kept between builds is exactly what validating gives, and follows edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run
from pydantic import VERSION as PYDANTIC_VERSION

from notice_builder.loader import model_cache
from notice_builder.loader.yaml_source import load_yaml_file
from notice_builder.model import ContentFile
from notice_builder.model.plain import NotPlain, from_plain, to_plain
from notice_builder.page_cache import read_sealed, write_atomic

CACHE = ".notice-builder-cache"
CONTENT_FILES = sorted(
    [
        *(REPO / "content").glob("*.yaml"),
        *(REPO / "tests" / "fixtures").rglob("*.yaml"),
    ]
)
EVERY_KIND_OF_VALUE = """\
site:
  base_url: https://example.com/privacy
  source_language: en
  languages: [en, nl, pt-BR]
  missing_translations: fallback
  locales: {nl: {min_completeness: 50}, pt-BR: {missing_translations: error}}
  checks: {parity: off, html.mailto.unlinked: error}
parties:
  - id: acme
    legal_name: ACME B.V.
    email: privacy@example.com
    phone: +31 20 555 0100
    address: {street: [Main 1], city: Amsterdam, country: NL}
notice:
  id: every-kind
  title: Everything
  version: '1'
  effective_date: 2024-04
  last_updated: 2024-04-15
  controllers: [acme]
  purposes:
    - id: p
      title: A purpose
      legal_bases: [consent, legitimate-interests]
      legitimate_interest: Ours
      data: [health]
      retention: [r]
  data_categories:
    - {id: health, name: Health, special: true, art9_condition: explicit-consent}
  transfers: [{id: t, countries: [US, JP], safeguard: standard-contractual-clauses}]
  retention:
    - id: r
      subject: Kept
      period: {duration: 2 years, or_earlier_on: [consent-withdrawn]}
  rights: [{right: access}]
  sections:
    - {id: s, title: A section, show: [purposes, rights], rights: [access]}
  suppress:
    - {code: gdpr.13-1-a.representative-missing, reason: Reviewed by the legal team.}
"""


def validated(path: Path) -> ContentFile | None:
    try:
        return ContentFile.model_validate(load_yaml_file(path).data)
    except Exception:  # a deliberately invalid fixture: there is nothing to keep
        return None


def assert_same_model(kept: ContentFile, part: ContentFile) -> None:
    """Equal, and of the same types all the way down (repr shows MonthDate, enums...),
    and a model pydantic itself serializes and copies the same way."""
    assert kept == part
    assert repr(kept) == repr(part)
    assert kept.model_dump() == part.model_dump()
    assert kept.model_copy() == part
    built = ContentFile.model_construct(
        **{name: getattr(kept, name) for name in ContentFile.model_fields}
    )
    for slot in (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    ):
        assert object.__getattribute__(kept, slot) == object.__getattribute__(built, slot)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_plain_form_gives_back_the_validated_model(path: Path) -> None:
    part = validated(path)
    if part is None:
        pytest.skip("the fixture does not validate")
    kept = from_plain(ContentFile, json.loads(json.dumps(to_plain(part))))
    assert_same_model(kept, part)


def test_every_kind_of_value_comes_back_with_its_type(tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    path.write_text(EVERY_KIND_OF_VALUE, encoding="utf-8")
    part = validated(path)
    assert part is not None and part.notice is not None
    kept = model_cache.validated(load_yaml_file(path), "digest", tmp_path)
    again = model_cache.validated(load_yaml_file(path), "digest", tmp_path)
    assert (tmp_path / "digest.model.json").is_file()
    assert_same_model(kept, part)
    assert_same_model(again, part)
    assert type(again.notice).__name__ == "Notice" and again.notice is not None
    assert type(again.notice.effective_date).__name__ == "MonthDate"
    assert type(again.notice.last_updated).__name__ == "date"


def test_a_value_the_plain_form_cannot_keep_is_refused() -> None:
    with pytest.raises(NotPlain):
        to_plain({"set": {1, 2}})


def test_a_rebuild_of_unchanged_content_does_not_validate_it(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["build"], example_site).exit_code == 0
    built = (example_site / "output" / "index.html").read_bytes()

    def refuse(*args: object, **kwargs: object) -> ContentFile:
        raise AssertionError("validated again")

    monkeypatch.setattr(ContentFile, "model_validate", refuse)
    again = run(["build"], example_site)
    assert again.exit_code == 0, again.stderr
    assert (example_site / "output" / "index.html").read_bytes() == built


def test_an_edited_file_is_validated_again(example_site: Path) -> None:
    assert run(["build"], example_site).exit_code == 0
    parties = example_site / "content" / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    parties.write_text(text.replace("privacy@example.com", "privacy@@example.com"), "utf-8")
    broken = run(["build"], example_site)
    assert broken.exit_code == 1
    assert "is not a valid e-mail address" in broken.stderr

    parties.write_text(text.replace("privacy@example.com", "office@example.com"), "utf-8")
    fixed = run(["build"], example_site)
    assert fixed.exit_code == 0, fixed.stderr
    page = (example_site / "output" / "nl" / "privacy-notice.html").read_text(encoding="utf-8")
    assert "office@example.com" in page and "privacy@example.com" not in page


@pytest.mark.parametrize("damage", ["not json", '{"format": 1, "content": {"site": 3}}', "[]"])
def test_a_damaged_entry_is_validated_again(example_site: Path, damage: str) -> None:
    assert run(["build"], example_site).exit_code == 0
    clean = {p.relative_to(example_site): p.read_bytes() for p in _files(example_site / "output")}
    entries = sorted((example_site / CACHE / "content").glob("*.model.json"))
    assert len(entries) == len(list((example_site / "content").glob("*.yaml")))
    for entry in entries:  # sealed: damaged inside, not only changed since it was written
        write_atomic(entry, damage.encode("utf-8"))
    shutil.rmtree(example_site / CACHE / "pages")  # render every page from the model
    assert run(["build"], example_site).exit_code == 0
    rebuilt = {p.relative_to(example_site): p.read_bytes() for p in _files(example_site / "output")}
    assert rebuilt == clean
    assert all(json.loads(read_sealed(entry))["format"] == 1 for entry in entries)


def test_an_entry_kept_under_another_pydantic_is_validated_again(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept form is read back by pydantic's own machinery: after an upgrade of
    pydantic, every kept file is validated again (and kept anew)."""
    assert run(["build"], example_site).exit_code == 0
    entries = sorted((example_site / CACHE / "content").glob("*.model.json"))
    assert entries
    for entry in entries:
        kept = json.loads(read_sealed(entry))
        assert kept["pydantic"] == PYDANTIC_VERSION
        write_atomic(entry, json.dumps({**kept, "pydantic": "0.0.1"}).encode("utf-8"))
    shutil.rmtree(example_site / CACHE / "pages")
    validated: list[object] = []
    original = ContentFile.model_validate.__func__  # type: ignore[attr-defined]

    def counted(cls: type[ContentFile], /, *args: object, **kwargs: object) -> ContentFile:
        validated.append(args)
        return original(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(ContentFile, "model_validate", classmethod(counted))
    assert run(["build"], example_site).exit_code == 0
    assert len(validated) == len(entries)
    assert all(json.loads(read_sealed(e))["pydantic"] == PYDANTIC_VERSION for e in entries)


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())
