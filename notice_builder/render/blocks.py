"""The structured blocks of a notice, localized and ready for the templates.

Each function takes the notice and the locale's :class:`Texts` and returns plain
view objects; the templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from notice_builder.i18n.localizer import LocalText
from notice_builder.model import Notice, Party
from notice_builder.model.fields import e164
from notice_builder.model.notice import Block, RetentionPeriod
from notice_builder.model.parties import Address
from notice_builder.model.vocabulary import RetentionEvent, Right
from notice_builder.render.texts import Texts


@dataclass(slots=True)
class Term:
    code: str
    label: LocalText
    article: LocalText
    description: LocalText | None = None


@dataclass(slots=True)
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


@dataclass(slots=True)
class PurposeView:
    id: str
    title: LocalText
    description: Markup
    bases: list[Term]
    bases_html: Markup
    legitimate_interest: LocalText
    data: str


@dataclass(slots=True)
class RetentionRow:
    id: str
    subject: LocalText
    duration: str
    until: str
    earlier: str
    statute: LocalText
    note: LocalText


@dataclass(slots=True)
class BlockView:
    kind: str
    items: Sequence[object] = field(default_factory=list)
    text: Markup = field(default_factory=Markup)
    flag: bool = False


def build_block(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    """The view of one block; ``rights`` limits the rights block to those (all when empty)."""
    return BUILDERS[kind](kind, notice, texts, rights)


def _purposes(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    positions = {item.id: at for at, item in enumerate(notice.data_categories)}
    return BlockView(
        kind, [_purpose(notice, i, positions, texts) for i in range(len(notice.purposes))]
    )


def _legal_bases(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    return BlockView(kind, [_basis(code, texts) for code in _bases(notice)])


def _controllers(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    return BlockView(kind, [_party(pid, "controller", texts) for pid in notice.controllers])


def _dpo(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    return _single_party(kind, notice.dpo, "dpo", texts)


def _representative(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    return _single_party(kind, notice.eu_representative, "eu-representative", texts)


def _authority(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    return _single_party(kind, notice.supervisory_authority, "supervisory-authority", texts)


def _data_sources(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    owner = f"notice:{notice.id}"
    count = len(notice.data_sources)
    return BlockView(
        kind, [texts.text(owner, "data_sources", i, "description") for i in range(count)]
    )


def _recipients(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    owner = f"notice:{notice.id}"
    return BlockView(kind, [_recipient(i, texts, owner) for i in range(len(notice.recipients))])


def _transfers(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    return BlockView(kind, [_transfer(notice, i, texts) for i in range(len(notice.transfers))])


def _retention(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    return BlockView(kind, [_retention_row(notice, i, texts) for i in range(len(notice.retention))])


def _rights_block(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    return BlockView(kind, _rights(notice, rights, texts))


def _bases(notice: Notice) -> list[str]:
    if notice.legal_bases:
        return [basis.value for basis in notice.legal_bases]
    used = {basis.value for purpose in notice.purposes for basis in purpose.legal_bases}
    return sorted(used)


def _basis(code: str, texts: Texts) -> Term:
    return Term(code, texts.vocab("basis", code), texts.vocab("basis", code, "article"))


def _purpose(notice: Notice, index: int, positions: dict[str, int], texts: Texts) -> PurposeView:
    """A purpose; ``positions`` says where each data category is in the notice's list."""
    owner = f"notice:{notice.id}"
    purpose = notice.purposes[index]
    data = [
        str(texts.text(owner, "data_categories", positions[ident], "name"))
        for ident in purpose.data
    ]
    bases = [_basis(basis.value, texts) for basis in purpose.legal_bases]
    return PurposeView(
        purpose.id,
        texts.text(owner, "purposes", index, "title"),
        texts.html(owner, "purposes", index, "description"),
        bases,
        _joined_terms(bases, texts),
        texts.text(owner, "purposes", index, "legitimate_interest"),
        texts.localizer.join(data),
    )


def _joined_terms(terms: list[Term], texts: Texts) -> Markup:
    """ "Consent (Art. 6(1)(a)) and ..." joined by the language's list pattern.

    The items are escaped before joining; CLDR's list patterns hold no markup.
    """
    items = [
        f'{escape(term.label)} (<span class="article">{escape(term.article)}</span>)'
        for term in terms
    ]
    return Markup(texts.localizer.join(items))


def _party(party_id: str, role: str, texts: Texts) -> PartyView:
    party: Party = texts.content.parties[party_id]
    owner = f"party:{party_id}"
    address = party.address
    lines = address_lines(address) if address else []
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


CITY_FIRST = frozenset({"US", "CA", "AU", "GB", "IE", "NZ"})


def address_lines(address: Address) -> list[str]:
    """Street lines, then the city line in the order the country's post expects."""
    if address.country in CITY_FIRST:
        region = " ".join(part for part in (address.region, address.postal_code) if part)
        return [*address.street, ", ".join(part for part in (address.city, region) if part)]
    city = " ".join(part for part in (address.postal_code, address.city) if part)
    return [*address.street, city, *([address.region] if address.region else [])]


def _single_party(kind: Block, party_id: str | None, role: str, texts: Texts) -> BlockView:
    return BlockView(kind, [_party(party_id, role, texts)] if party_id else [])


def _categories(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
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
    """A row whose period is in words; the template puts the words in a sentence."""
    owner = f"notice:{notice.id}"
    period = notice.retention[index].period
    return RetentionRow(
        notice.retention[index].id,
        texts.text(owner, "retention", index, "subject"),
        _duration(period, texts),
        _events(period.until, texts),
        _events(period.or_earlier_on, texts),
        texts.text(owner, "retention", index, "period", "statutory_reference"),
        texts.text(owner, "retention", index, "note"),
    )


def _duration(period: RetentionPeriod, texts: Texts) -> str:
    measured = period.amount_and_unit
    return texts.localizer.duration(*measured) if measured else ""


def _events(codes: Sequence[RetentionEvent], texts: Texts) -> str:
    """Events joined with "or" the way the language does: "a, b or c"."""
    return texts.localizer.join((str(texts.vocab("event", code.value)) for code in codes), "or")


def _provision(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
    if notice.provision is None:
        return BlockView(kind)
    return BlockView(
        kind,
        text=texts.html(f"notice:{notice.id}", "provision", "consequences"),
        flag=notice.provision.required,
    )


def _automated(kind: Block, notice: Notice, texts: Texts, rights: list[Right]) -> BlockView:
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


Builder = Callable[[Block, Notice, Texts, list[Right]], BlockView]
BUILDERS: dict[Block, Builder] = {
    Block.PURPOSES: _purposes,
    Block.LEGAL_BASES: _legal_bases,
    Block.CONTROLLERS: _controllers,
    Block.DPO: _dpo,
    Block.EU_REPRESENTATIVE: _representative,
    Block.SUPERVISORY_AUTHORITY: _authority,
    Block.DATA_CATEGORIES: _categories,
    Block.DATA_SOURCES: _data_sources,
    Block.RECIPIENTS: _recipients,
    Block.TRANSFERS: _transfers,
    Block.RETENTION: _retention,
    Block.PROVISION: _provision,
    Block.RIGHTS: _rights_block,
    Block.AUTOMATED_DECISIONS: _automated,
}
"""How each block is built: every builder takes the same arguments, and uses what it needs."""
