"""What the page walk knows about the place it is at: section, zone, block, ..."""

from __future__ import annotations

from dataclasses import dataclass

from notice_builder.checks.html.model import SectionFacts, TableFacts, Zone


@dataclass(slots=True)
class WalkContext:
    """What applies to an element's content; replaced (not mutated) when it changes.

    ``numbers`` collects the text whose digits parity compares (a section's, outside
    <time>). The text of the block being read is not here: blocks start at most
    elements, and the walk passes it beside the context instead of copying the context.
    """

    section: SectionFacts
    zone: Zone
    numbers: list[str] | None
    exempt: bool
    in_mailto: bool
    table: TableFacts | None

    def copy(self) -> WalkContext:
        return WalkContext(
            self.section,
            self.zone,
            self.numbers,
            self.exempt,
            self.in_mailto,
            self.table,
        )

    def within(
        self, zone: Zone, section: SectionFacts | None = None, numbers: list[str] | None = None
    ) -> WalkContext:
        new = self.copy()
        new.zone = zone
        new.section = section or self.section
        new.numbers = numbers
        return new

    def within_mailto(self) -> WalkContext:
        new = self.copy()
        new.in_mailto = True
        return new

    def within_time(self) -> WalkContext:
        """Dates are compared by their datetime attribute, not by their digits."""
        new = self.copy()
        new.numbers = None
        return new

    def within_table(self, table: TableFacts) -> WalkContext:
        new = self.copy()
        new.table = table
        return new

    def exempted(self) -> WalkContext:
        """Inside an address or text in another language: not compared to the source
        (the walk reads no block text where ``exempt`` is set)."""
        new = self.copy()
        new.exempt = True
        return new
