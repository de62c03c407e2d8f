"""Questions answered on item groups: the same tiers, a hundred times fewer elements at 100×.

A question that asks names and filters only (no record facets, no
preference holding items) cannot tell apart two items of one group
(:mod:`kg.runtime.groups`), so the engine's facets, intersections and split
into tiers (:func:`kg.query.engine._base`, :func:`kg.query.engine._tiers`)
run unchanged on group numbers, over the groups' posting sets
(:func:`kg.query.engine.grouped_tiers`). What the answer then reads off the
groups instead of its matches:

* the summary's counts: a count per group (its size, under its one
  summary code), groups in static order (:func:`summary_counts`);
* the page: each tier's first items off the groups' sorted members
  (:func:`kg.query.page.page`);
* the direct items that report outcomes in static order, lazily, groups
  that report none skipped whole (the summary's headline outcomes read the
  first few).

The tiers as item sets are made only when something asks for them
(:class:`ExpandedTiers`: /synthesis, the graph view), never for /evidence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

from kg.runtime.groups import ItemGroups

if TYPE_CHECKING:
    from kg.query.engine import Leaf

__all__ = ["ExpandedTiers", "GroupedTiers", "summary_counts"]


@dataclass
class GroupedTiers:
    """A question's tiers, partitions and direct matches as sets of group numbers, with each tier's size."""

    groups: ItemGroups
    tiers: list[tuple[int, frozenset[int]]]
    sizes: list[int]
    direct: frozenset[int]
    direct_count: int
    leaves: list[Leaf]
    _items: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)

    def items(self, number: int) -> frozenset[int]:
        """The items of tier ``number`` (made once, on first need)."""
        found = self._items.get(number)
        if found is None:
            members = self.groups.members
            found = self._items[number] = frozenset(p for group in self.tiers[number][1] for p in members[group])
        return found

    def direct_items(self) -> frozenset[int]:
        """The direct items (made on need)."""
        members = self.groups.members
        return frozenset(p for group in self.direct for p in members[group])

    def reporting_direct_in_order(self) -> Iterator[int]:
        """The direct items that report outcomes, in static order, lazily (groups that report none are skipped whole)."""
        groups = self.groups
        reports = groups.reports
        reporting = [group for group in self.direct if reports[group]]
        return groups.in_order(reporting, groups.size(reporting))

    def expanded(self) -> ExpandedTiers:
        """The tiers as (distance, items), items made per tier on first read."""
        return ExpandedTiers(self)


class ExpandedTiers(Sequence[tuple[int, frozenset[int]]]):
    """:attr:`EvidenceAnswer.tiers` of an answer on groups: each tier's items made when it is read."""

    def __init__(self, grouped: GroupedTiers) -> None:
        self._grouped = grouped

    def __len__(self) -> int:
        return len(self._grouped.tiers)

    @overload
    def __getitem__(self, number: int) -> tuple[int, frozenset[int]]: ...

    @overload
    def __getitem__(self, number: slice) -> list[tuple[int, frozenset[int]]]: ...

    def __getitem__(self, number: int | slice) -> tuple[int, frozenset[int]] | list[tuple[int, frozenset[int]]]:
        if isinstance(number, slice):
            return [self[n] for n in range(len(self))[number]]
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError(number)
        return self._grouped.tiers[number][0], self._grouped.items(number)


def summary_counts(grouped: GroupedTiers) -> list[tuple[int, int]]:
    """(summary code, count) of the matches, each code at its first appearance in rank order.

    A group's members share one code, and groups are numbered in the order
    of their first members, so taking each tier's groups in number order
    meets every code first where its first item comes: the same list as
    counting every match in rank order, from one addition per group.
    """
    groups = grouped.groups
    codes, sizes = groups.codes, groups.sizes
    counts: dict[int, int] = {}
    for _, members in grouped.tiers:
        for group in sorted(members):
            code = codes[group]
            counts[code] = counts.get(code, 0) + sizes[group]
    return list(counts.items())
