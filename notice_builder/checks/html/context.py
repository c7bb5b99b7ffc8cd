"""What the page walk knows about the place it is at: section, zone, block, ..."""

from __future__ import annotations

from dataclasses import dataclass

from notice_builder.checks.html.model import SectionFacts, TableFacts, Zone


@dataclass(slots=True)
class WalkContext:
    """What applies to an element's content; replaced (not mutated) when it changes.

    ``block`` collects the text of the block (p, li, ...) being read, ``numbers`` the
    text whose digits parity compares (a section's, outside <time>).
    """

    section: SectionFacts
    zone: Zone
    block: list[str] | None
    numbers: list[str] | None
    exempt: bool
    in_mailto: bool
    table: TableFacts | None

    def copy(self) -> WalkContext:
        return WalkContext(
            self.section,
            self.zone,
            self.block,
            self.numbers,
            self.exempt,
            self.in_mailto,
            self.table,
        )

    def collecting_block(self) -> WalkContext:
        new = self.copy()
        new.block = []
        return new

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
        """Inside an address or text in another language: not compared to the source."""
        new = self.copy()
        new.exempt = True
        new.block = None
        return new
