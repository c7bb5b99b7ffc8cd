"""The fixed vocabularies as messages: labels, descriptions and article citations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from notice_builder.model.vocabulary import VOCABULARIES, Term

VOCABULARY_FILE = "notice_builder/model/vocabulary.py"
KIND_NAMES = {
    "basis": "a legal basis (GDPR Art. 6(1))",
    "right": "a data-subject right",
    "event": "an event that ends a retention period; completes 'until ...' and 'or earlier if ...'",
    "art9": "a condition for special categories (GDPR Art. 9(2))",
    "safeguard": "a safeguard for transfers outside the EEA",
}


@dataclass(frozen=True)
class VocabularyMessage:
    context: str
    msgid: str
    comment: str


def vocabulary_messages() -> Iterator[VocabularyMessage]:
    for kind, terms in VOCABULARIES.items():
        for code, term in terms.items():
            yield from _term_messages(kind, code, term)


def _term_messages(kind: str, code: str, term: Term) -> Iterator[VocabularyMessage]:
    what = KIND_NAMES[kind]
    yield VocabularyMessage(f"vocab.{kind}.{code}", term.label, f"Name of {what}.")
    if term.description:
        yield VocabularyMessage(
            f"vocab.{kind}.{code}.description", term.description, f"Explanation of {what}."
        )
    if term.article:
        yield VocabularyMessage(
            f"vocab.{kind}.{code}.article",
            article_citation(term),
            "Citation of a GDPR article; use your language's usual form and abbreviation.",
        )


def article_citation(term: Term) -> str:
    return f"{term.article} GDPR"
