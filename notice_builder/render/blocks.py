"""The structured blocks of a notice, localized and ready for the templates.

Each function takes the notice and the locale's :class:`Texts` and returns plain
view objects; the templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from notice_builder.i18n.localizer import LocalText
from notice_builder.model import Notice, Party
from notice_builder.model.fields import e164
from notice_builder.model.notice import Block, RetentionPeriod
from notice_builder.model.vocabulary import RetentionEvent, Right
from notice_builder.render.texts import Texts


@dataclass(frozen=True)
class Term:
    code: str
    label: LocalText
    article: LocalText
    description: LocalText | None = None


@dataclass(frozen=True)
class PartyView:
    id: str
    role: str
    name: str
    label: LocalText
    legal_form: LocalText
    address_lines: list[str]
    country: str
    email: str | None
    phone: str | None
    phone_e164: str | None
    web: str | None


@dataclass(frozen=True)
class PurposeView:
    id: str
    title: LocalText
    description: Markup
    bases: list[Term]
    legitimate_interest: LocalText
    data: str


@dataclass(frozen=True)
class RetentionRow:
    id: str
    subject: LocalText
    period: Markup
    note: LocalText


@dataclass(frozen=True)
class BlockView:
    kind: str
    items: Sequence[object] = field(default_factory=list)
    text: Markup = field(default_factory=Markup)
    flag: bool = False


def build_block(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    owner = f"notice:{notice.id}"
    builders = {
        Block.PURPOSES: lambda: BlockView(
            kind, [_purpose(notice, i, texts) for i in range(len(notice.purposes))]
        ),
        Block.LEGAL_BASES: lambda: BlockView(
            kind, [_basis(code, texts) for code in _bases(notice)]
        ),
        Block.CONTROLLERS: lambda: BlockView(
            kind, [_party(pid, "controller", texts) for pid in notice.controllers]
        ),
        Block.DPO: lambda: _single_party(kind, notice.dpo, "dpo", texts),
        Block.EU_REPRESENTATIVE: lambda: _single_party(
            kind, notice.eu_representative, "eu-representative", texts
        ),
        Block.SUPERVISORY_AUTHORITY: lambda: _single_party(
            kind, notice.supervisory_authority, "supervisory-authority", texts
        ),
        Block.DATA_CATEGORIES: lambda: _categories(kind, notice, texts),
        Block.DATA_SOURCES: lambda: BlockView(
            kind,
            [
                texts.text(owner, "data_sources", i, "description")
                for i in range(len(notice.data_sources))
            ],
        ),
        Block.RECIPIENTS: lambda: BlockView(
            kind, [_recipient(i, texts, owner) for i in range(len(notice.recipients))]
        ),
        Block.TRANSFERS: lambda: BlockView(
            kind, [_transfer(notice, i, texts) for i in range(len(notice.transfers))]
        ),
        Block.RETENTION: lambda: BlockView(
            kind, [_retention_row(notice, i, texts) for i in range(len(notice.retention))]
        ),
        Block.PROVISION: lambda: _provision(kind, notice, texts),
        Block.RIGHTS: lambda: BlockView(kind, _rights(notice, rights, texts)),
        Block.AUTOMATED_DECISIONS: lambda: _automated(kind, notice, texts),
    }
    return builders[kind]()


def _bases(notice: Notice) -> list[str]:
    if notice.legal_bases:
        return [basis.value for basis in notice.legal_bases]
    used = {basis.value for purpose in notice.purposes for basis in purpose.legal_bases}
    return sorted(used)


def _basis(code: str, texts: Texts) -> Term:
    return Term(code, texts.vocab("basis", code), texts.vocab("basis", code, "article"))


def _purpose(notice: Notice, index: int, texts: Texts) -> PurposeView:
    owner = f"notice:{notice.id}"
    purpose = notice.purposes[index]
    categories = {item.id: item for item in notice.data_categories}
    data = [
        str(
            texts.text(
                owner, "data_categories", notice.data_categories.index(categories[ident]), "name"
            )
        )
        for ident in purpose.data
    ]
    return PurposeView(
        purpose.id,
        texts.text(owner, "purposes", index, "title"),
        texts.html(owner, "purposes", index, "description"),
        [_basis(basis.value, texts) for basis in purpose.legal_bases],
        texts.text(owner, "purposes", index, "legitimate_interest"),
        texts.localizer.join(data),
    )


def _party(party_id: str, role: str, texts: Texts) -> PartyView:
    party: Party = texts.content.parties[party_id]
    owner = f"party:{party_id}"
    address = party.address
    lines: list[str] = []
    if address:
        lines = [*address.street, " ".join(p for p in (address.postal_code, address.city) if p)]
        lines += [address.region] if address.region else []
    return PartyView(
        party.id,
        role,
        party.legal_name,
        texts.text(owner, "label"),
        texts.text(owner, "legal_form"),
        lines,
        texts.localizer.country(address.country) if address else "",
        party.email,
        party.phone,
        e164(party.phone) if party.phone else None,
        party.web,
    )


def _single_party(kind: Block, party_id: str | None, role: str, texts: Texts) -> BlockView:
    return BlockView(kind, [_party(party_id, role, texts)] if party_id else [])


def _categories(kind: Block, notice: Notice, texts: Texts) -> BlockView:
    owner = f"notice:{notice.id}"
    items = []
    for index, category in enumerate(notice.data_categories):
        condition = (
            texts.vocab("art9", category.art9_condition.value) if category.art9_condition else None
        )
        items.append(
            (
                category.id,
                texts.text(owner, "data_categories", index, "name"),
                category.special,
                condition,
            )
        )
    return BlockView(kind, items)


def _recipient(index: int, texts: Texts, owner: str) -> tuple[LocalText, Markup]:
    return texts.text(owner, "recipients", index, "name"), texts.html(
        owner, "recipients", index, "description"
    )


def _transfer(notice: Notice, index: int, texts: Texts) -> tuple[str, Term, Markup]:
    transfer = notice.transfers[index]
    countries = texts.localizer.join(texts.localizer.country(code) for code in transfer.countries)
    safeguard = Term(
        transfer.safeguard.value,
        texts.vocab("safeguard", transfer.safeguard.value),
        texts.vocab("safeguard", transfer.safeguard.value, "article"),
    )
    return (
        countries,
        safeguard,
        texts.html(f"notice:{notice.id}", "transfers", index, "description"),
    )


def _retention_row(notice: Notice, index: int, texts: Texts) -> RetentionRow:
    owner = f"notice:{notice.id}"
    rule = notice.retention[index]
    period = format_period(
        rule.period, texts, (owner, "retention", index, "period", "statutory_reference")
    )
    return RetentionRow(
        rule.id,
        texts.text(owner, "retention", index, "subject"),
        period,
        texts.text(owner, "retention", index, "note"),
    )


def format_period(
    period: RetentionPeriod, texts: Texts, reference: tuple[str, str, int, str, str]
) -> Markup:
    """A retention period in words: "30 days, or earlier if you withdraw your consent"."""
    loc = texts.localizer

    def events(codes: Sequence[RetentionEvent]) -> str:
        return loc.join((str(texts.vocab("event", code.value)) for code in codes), "or")

    measured = period.amount_and_unit
    duration = loc.duration(*measured) if measured else ""
    if duration and period.or_earlier_on:
        text = loc.pgettext(
            "ui",
            "%(duration)s, or earlier if %(events)s",
            duration=duration,
            events=events(period.or_earlier_on),
        )
    elif duration and period.until:
        text = loc.pgettext(
            "ui",
            "%(duration)s, or until %(events)s",
            duration=duration,
            events=events(period.until),
        )
    elif duration:
        text = Markup(escape(duration))
    else:
        text = loc.pgettext("ui", "Until %(events)s", events=events(period.until))
    statute = texts.text(reference[0], *reference[1:])
    if statute.text:
        text = loc.pgettext("ui", "%(period)s (%(statute)s)", period=text, statute=statute)
    return Markup(text)


def _provision(kind: Block, notice: Notice, texts: Texts) -> BlockView:
    if notice.provision is None:
        return BlockView(kind)
    return BlockView(
        kind,
        text=texts.html(f"notice:{notice.id}", "provision", "consequences"),
        flag=notice.provision.required,
    )


def _automated(kind: Block, notice: Notice, texts: Texts) -> BlockView:
    if notice.automated_decisions is None:
        return BlockView(kind)
    body = texts.html(f"notice:{notice.id}", "automated_decisions", "explanation")
    return BlockView(kind, text=body, flag=notice.automated_decisions.used)


def _rights(notice: Notice, only: list[Right], texts: Texts) -> list[tuple[Term, Markup]]:
    owner = f"notice:{notice.id}"
    shown = []
    for index, entry in enumerate(notice.rights):
        if only and entry.right not in only:
            continue
        code = entry.right.value
        term = Term(
            code,
            texts.vocab("right", code),
            texts.vocab("right", code, "article"),
            texts.vocab("right", code, "description"),
        )
        shown.append((term, texts.html(owner, "rights", index, "details")))
    return shown
