"""The page of an answer: its rows in rank order, each with how it matched every facet.

Without preferences a page is the tiers' first items in static order; with
preferences holding items it follows :func:`kg.query.ranking.ranked`. An
answer computed on item groups (:mod:`kg.query.grouped`) takes its page off
the groups' sorted members (:meth:`kg.runtime.groups.ItemGroups.first`): only
the page's items are read, not every match sorted.
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING, NamedTuple

from kg.query.facets import MatchKind
from kg.query.ranking import ranked

if TYPE_CHECKING:
    from kg.query.engine import EvidenceAnswer

__all__ = ["ResultRow", "page"]

_UNMATCHED = MatchKind.UNMATCHED


class ResultRow(NamedTuple):
    """One ranked result: item number, how it matched each facet, preferences met (a tuple: built per page row)."""

    position: int
    distance: int
    kinds: tuple[MatchKind, ...]
    preferred: tuple[int, ...] = ()


def page(answer: EvidenceAnswer, offset: int, limit: int) -> list[ResultRow]:
    """The page of rows: the tiers in static order, or, when a preference holds items, in :func:`ranked` order."""
    rows: list[ResultRow] = []
    preferences = answer.preferences
    if answer.groups is not None:
        return _grouped_page(answer, offset, limit)
    if any(p.items for p in preferences):  # preferences reorder across tiers (kg.query.ranking.ranked)
        for position, dist, preferred in islice(ranked(answer.tiers, preferences), offset, offset + limit):
            rows.append(ResultRow(position, dist, _kinds_of(answer, position, dist), preferred))
        return rows
    skip = offset
    for number, (dist, items) in enumerate(answer.tiers):
        if skip >= len(items):
            skip -= len(items)
            continue
        chosen = answer.ordered_tier(number)[skip : skip + limit - len(rows)]
        positions: list[int] = chosen if isinstance(chosen, list) else chosen.tolist()
        leaves = [(kinds, items) for leaf_distance, kinds, items in answer.leaves if leaf_distance == dist]
        for position in positions:
            for leaf_kinds, members in leaves:  # a plain loop: a generator per row costs more than the lookups
                if position in members:
                    kinds = leaf_kinds
                    break
            else:  # an answer built without its partitions
                kinds = tuple(facet.kind_of(position) or _UNMATCHED for facet in answer.facets)
            rows.append(ResultRow(position, dist, kinds))
        skip = 0
        if len(rows) >= limit:
            break
    return rows


def _grouped_page(answer: EvidenceAnswer, offset: int, limit: int) -> list[ResultRow]:
    """:func:`page` of an answer on groups (no preference holds items there): each tier's first items off its groups."""
    grouped = answer.groups
    assert grouped is not None
    groups = grouped.groups
    group_of = groups.group_of
    rows: list[ResultRow] = []
    skip = offset
    for (dist, members), size in zip(grouped.tiers, grouped.sizes, strict=True):
        if skip >= size:
            skip -= size
            continue
        positions = groups.first(members, skip + limit - len(rows), size)[skip:]
        leaves = [(kinds, found) for leaf_distance, kinds, found in grouped.leaves if leaf_distance == dist]
        for position in positions:
            group = group_of[position]
            for leaf_kinds, found in leaves:
                if group in found:
                    rows.append(ResultRow(position, dist, leaf_kinds))
                    break
        skip = 0
        if len(rows) >= limit:
            break
    return rows


def _kinds_of(answer: EvidenceAnswer, position: int, dist: int) -> tuple[MatchKind, ...]:
    """How one item matched each facet: read off the walk's partition that holds it, else asked of each facet."""
    for leaf_distance, kinds, items in answer.leaves:
        if leaf_distance == dist and position in items:
            return kinds
    return tuple(facet.kind_of(position) or MatchKind.UNMATCHED for facet in answer.facets)
