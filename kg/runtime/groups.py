"""Item groups: the evidence items no name facet and no filter can tell apart, kept as one unit.

Two items in the same posting set of every name table (therapy, alteration,
gene, gene level, disease) and of every filter value, with the same summary
code (design, direction, evidence type, level), both reporting outcomes or
neither, answer every question that
asks only names and filters alike: both match or neither does, on the same
facet tiers, and they count the same in the summary. The index keeps such
items as one *group* (:class:`ItemGroups`): its members in static order, its
size and its summary code, and posting sets of *group* numbers next to the
item-level ones. At 100× a question's 2,900 matches are 29 groups.

A question without record facets or preferences then runs on groups
(:mod:`kg.query.grouped`): the same set operations on sets a hundred times
smaller, a summary that adds a count per group instead of reading every
match, and a page taken off the groups' sorted members (groups are numbered
by their first member, so a group's number is its place in static order).

Groups are found by two random 64-bit sums per item, one term per posting set
it is in, then checked exactly (every posting set must be a union of whole
groups: the sizes of the groups it touches add up to its own size). Should a
check ever fail, the index has no groups and every question runs on items.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from kg.runtime.memo import MemoSpec, MemoTable, union_of_postings

if TYPE_CHECKING:
    from kg.runtime.index import EvidenceIndex

__all__ = ["GROUP_TABLES", "GROUP_UNIONS", "PREFERRED_FROM", "ItemGroups", "Postings", "group_items"]

#: The index's name tables that groups refine (with every filter's posting sets).
GROUP_TABLES = ("therapy", "alteration", "gene", "gene_level", "disease")

#: Unions of group posting sets, per (table, terms), like :data:`kg.runtime.index.UNIONS` for items.
GROUP_UNIONS: MemoSpec[tuple[str, frozenset[str]], frozenset[int]] = MemoSpec("group posting-set unions", 4096)

#: Questions run on groups when the index has at least this many items per group (:attr:`ItemGroups.preferred`).
PREFERRED_FROM = 2


class Postings(Protocol):
    """What facets and the engine's intersections read: the index on items, or its groups."""

    def __len__(self) -> int: ...

    def postings(self, table: str, terms: frozenset[str]) -> frozenset[int]: ...

    def filter_buckets(self, name: str, values: Iterable[str]) -> list[frozenset[int]]: ...


class ItemGroups:
    """The index's items as groups: members, sizes, summary codes, and group-level posting sets."""

    def __init__(
        self,
        group_of: list[int],
        members: list[list[int]],
        tables: dict[str, dict[str, frozenset[int]]],
        filters: dict[str, frozenset[int]],
        codes: list[int],
        unions: MemoTable[tuple[str, frozenset[str]], frozenset[int]],
        reports: list[bool] | None = None,
    ) -> None:
        self.group_of = group_of
        #: Per group, its item numbers ascending (static order); groups are numbered by their first member.
        self.members = members
        self.sizes = [len(found) for found in members]
        self.tables = tables
        self.filters = filters
        #: Per group, the summary code its members share (:attr:`EvidenceIndex.summary_codes`).
        self.codes = codes
        #: Per group, whether its members report outcomes (all of them or none): the summary's headline
        #: outcomes read only the groups that do.
        self.reports = reports if reports is not None else [True] * len(members)
        self.unions = unions
        #: Whether questions run on groups by default: when there are at most half as many groups as items
        #: (a replicated graph, 1 group per 115 items at 100×). At 1× (3,910 groups of 4,487 items) the
        #: sets are no smaller and the groups' bookkeeping costs more than it saves, so questions run on items.
        self.preferred = len(members) * PREFERRED_FROM <= len(group_of)

    def __len__(self) -> int:
        return len(self.members)

    def postings(self, table: str, terms: frozenset[str]) -> frozenset[int]:
        """Union of the group posting sets of ``terms`` in one table (as :meth:`EvidenceIndex.postings`)."""
        return union_of_postings(self.tables[table], table, terms, self.unions)

    def filter_buckets(self, name: str, values: Iterable[str]) -> list[frozenset[int]]:
        """The group posting sets of a filter's values (empty ones left out)."""
        found = (self.filters.get(f"{name}\0{value}") for value in values)
        return [bucket for bucket in found if bucket]

    def size(self, groups: Iterable[int]) -> int:
        """How many items ``groups`` hold."""
        return sum(map(self.sizes.__getitem__, groups))

    def first(self, groups: Iterable[int], count: int, total: int) -> list[int]:
        """The ``count`` smallest item numbers of ``groups`` (``total`` items), in static order.

        Read off the groups' sorted members in group order: a small answer is
        gathered and sorted, a large one merged lazily, so only the page's
        items are taken, whatever the number of matches.
        """
        members = self.members
        ordered = sorted(groups)
        if total < 256:
            found = [position for group in ordered for position in members[group]]
            found.sort()
            return found[:count]
        return _take(_merge(members, ordered), count)

    def in_order(self, groups: Iterable[int], total: int) -> Iterator[int]:
        """Every item of ``groups`` (``total`` items) in static order, produced lazily."""
        ordered = sorted(groups)
        if total < 256:
            found = [position for group in ordered for position in self.members[group]]
            found.sort()
            return iter(found)
        return _merge(self.members, ordered)


def _merge(members: list[list[int]], ordered: list[int]) -> Iterator[int]:
    import heapq

    return heapq.merge(*(members[group] for group in ordered))


def _take(found: Iterator[int], count: int) -> list[int]:
    from itertools import islice

    return list(islice(found, count))


def group_items(
    index: EvidenceIndex, unions: MemoTable[tuple[str, frozenset[str]], frozenset[int]]
) -> ItemGroups | None:
    """The index's item groups, or None if the exact check fails (see the module docstring)."""
    count = len(index)
    if not count:
        return None
    named: list[tuple[str, str, frozenset[int]]] = [
        (table, key, items) for table in GROUP_TABLES for key, items in getattr(index, table).items()
    ]
    named += [("\0filter", key, items) for key, items in index.filters.items()]
    random = np.random.default_rng(18)
    high = np.zeros(count, dtype=np.uint64)
    low = np.zeros(count, dtype=np.uint64)
    arrays: list[npt.NDArray[np.int64]] = []
    for _, _, items in named:
        array = np.fromiter(items, dtype=np.int64, count=len(items))
        arrays.append(array)
        a, b = random.integers(1, 2**63, size=2, dtype=np.uint64)
        high[array] += a
        low[array] += b
    codes = np.asarray(index.summary_codes, dtype=np.uint64)
    reports = np.fromiter((bool(item.outcomes) for item in index.items), dtype=np.uint64, count=count)
    high += codes * np.uint64(0x9E3779B97F4A7C15)
    low ^= codes | (reports << np.uint64(32))
    keys = np.stack([high, low], axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    group_array = rank[inverse.reshape(-1)]
    sizes = np.bincount(group_array, minlength=len(first))
    order = np.argsort(group_array, kind="stable")
    bounds = np.cumsum(sizes)[:-1]
    members = [part.tolist() for part in np.split(order, bounds)]
    group_codes = [index.summary_codes[found[0]] for found in members]
    if any(index.summary_codes[p] != code for found, code in zip(members, group_codes, strict=True) for p in found):
        return None
    group_reports = [bool(reports[found[0]]) for found in members]
    if any(bool(reports[p]) != said for found, said in zip(members, group_reports, strict=True) for p in found):
        return None
    tables: dict[str, dict[str, frozenset[int]]] = {table: {} for table in GROUP_TABLES}
    filters: dict[str, frozenset[int]] = {}
    for (table, key, items), array in zip(named, arrays, strict=True):
        touched = np.unique(group_array[array])
        if int(sizes[touched].sum()) != len(items):  # a group split by this posting set: no groups
            return None
        grouped = frozenset(touched.tolist())
        if table == "\0filter":
            filters[key] = grouped
        else:
            tables[table][key] = grouped
    return ItemGroups(group_array.tolist(), members, tables, filters, group_codes, unions, group_reports)
