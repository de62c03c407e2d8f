"""What changed between the results a bundle holds and the results the data gives now.

Both answers are read into the same snapshot, per evidence item: its rank,
the facts that make its claim (statement, direction, level, type,
significance, quote) and the numbers of each of its outcomes (keyed by the
outcome's node id, ``outcome:chictr-orr-1``); a synthesis also keeps its
tallies and its conflicts. :func:`changes` lists every difference as a
:class:`Change` a person can read: an item gone or new, a rank changed, a
number changed (which outcome, which field, from what to what).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import TypedDict

from kg.graph.build import outcome_id

__all__ = ["NUMBER_FIELDS", "Change", "changes"]

#: The fields of an outcome compared number by number.
NUMBER_FIELDS = (
    "measure",
    "unit",
    "timepoint",
    "value",
    "value_comparator",
    "range_low",
    "range_high",
    "numerator",
    "denominator",
    "response",
    "ci_level",
    "ci_lower",
    "ci_upper",
    "p_value",
    "p_comparator",
)
#: The facts of an item's claim compared field by field.
FACT_FIELDS = ("statement", "direction", "level", "evidence_type", "significance", "quote")


class Change(TypedDict):
    """One difference: what kind, about which item (and outcome), which field, and the value then and now."""

    change: str
    item: str | None
    field: str | None
    was: Any
    now: Any


class _Item(TypedDict):
    rank: int | None
    facts: dict[str, Any]
    outcomes: dict[str, dict[str, Any]]


def _answer_items(results: Mapping[str, Any]) -> dict[str, _Item]:
    """An /evidence or /ask answer: its ranked results with their evidence payloads."""
    items: dict[str, _Item] = {}
    for result in results.get("results") or ():
        evidence = result.get("evidence") or {}
        facts = {name: evidence.get(name) for name in FACT_FIELDS if name != "quote"}
        facts["quote"] = (evidence.get("quote") or {}).get("text")
        outcomes = {
            outcome_id(result["id"], i): {name: outcome.get(name) for name in NUMBER_FIELDS}
            for i, outcome in enumerate(evidence.get("outcomes") or ())
        }
        items[result["id"]] = {"rank": result.get("rank"), "facts": facts, "outcomes": outcomes}
    return items


def _synthesis_items(results: Mapping[str, Any]) -> dict[str, _Item]:
    """A synthesis: its rows by item, and the items without outcomes."""
    items: dict[str, _Item] = {}
    for group in results.get("measures") or ():
        for row in group.get("rows") or ():
            item = items.setdefault(
                row["evidence"],
                {"rank": row.get("rank"), "facts": {name: row.get(name) for name in FACT_FIELDS}, "outcomes": {}},
            )
            item["outcomes"][row["id"]] = {name: row.get(name) for name in NUMBER_FIELDS}
    for evidence_id in results.get("without_outcomes") or ():
        items.setdefault(evidence_id, {"rank": None, "facts": {}, "outcomes": {}})
    return items


def _resolved(results: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    query = results.get("query") or {}
    return [(term.get("facet"), term.get("asked"), term.get("id")) for term in query.get("resolved") or ()]


def _conflict_pairs(results: Mapping[str, Any]) -> set[tuple[str, str]]:
    pairs = set()
    for conflict in results.get("conflicts") or ():
        for a in conflict.get("supports") or ():
            for b in conflict.get("does_not_support") or ():
                pairs.add((a["id"], b["id"]))
    return pairs


def _change(kind: str, item: str | None, field: str | None, was: Any, now: Any) -> Change:
    return {"change": kind, "item": item, "field": field, "was": was, "now": now}


def _item_changes(evidence_id: str, then: _Item, now: _Item) -> list[Change]:
    found: list[Change] = []
    if then["rank"] != now["rank"]:
        found.append(_change("rank_changed", evidence_id, "rank", then["rank"], now["rank"]))
    for name in FACT_FIELDS:
        if name in then["facts"] and name in now["facts"] and then["facts"][name] != now["facts"][name]:
            found.append(_change("item_changed", evidence_id, name, then["facts"][name], now["facts"][name]))
    for key in then["outcomes"].keys() - now["outcomes"].keys():
        found.append(_change("outcome_gone", evidence_id, key, then["outcomes"][key].get("measure"), None))
    for key in now["outcomes"].keys() - then["outcomes"].keys():
        found.append(_change("outcome_new", evidence_id, key, None, now["outcomes"][key].get("measure")))
    for key in sorted(then["outcomes"].keys() & now["outcomes"].keys()):
        for name in NUMBER_FIELDS:
            was, is_now = then["outcomes"][key].get(name), now["outcomes"][key].get(name)
            if was != is_now:
                found.append(_change("number_changed", evidence_id, f"{key} {name}", was, is_now))
    return found


def changes(kind: str, then: Mapping[str, Any], now: Mapping[str, Any]) -> list[Change]:
    """Every difference between two answers of the same ``kind`` (``evidence``, ``ask`` or ``synthesis``)."""
    found: list[Change] = []
    if _resolved(then) != _resolved(now):
        found.append(_change("reading_changed", None, "query.resolved", _resolved(then), _resolved(now)))
    for name in ("total", "direct"):
        if then.get(name) != now.get(name):
            found.append(_change(f"{name}_changed", None, name, then.get(name), now.get(name)))
    read = _synthesis_items if kind == "synthesis" else _answer_items
    old, new = read(then), read(now)
    for evidence_id in old.keys() - new.keys():
        found.append(_change("item_gone", evidence_id, None, old[evidence_id]["rank"], None))
    for evidence_id in new.keys() - old.keys():
        found.append(_change("item_new", evidence_id, None, None, new[evidence_id]["rank"]))
    for evidence_id in sorted(old.keys() & new.keys(), key=lambda i: (old[i]["rank"] or 1 << 30, i)):
        found.extend(_item_changes(evidence_id, old[evidence_id], new[evidence_id]))
    if kind == "synthesis":
        if then.get("tallies") != now.get("tallies"):
            found.append(_change("tallies_changed", None, "tallies", then.get("tallies"), now.get("tallies")))
        gone, added = _conflict_pairs(then) - _conflict_pairs(now), _conflict_pairs(now) - _conflict_pairs(then)
        for supports, disputes in sorted(gone):
            found.append(_change("conflict_gone", supports, "conflicts", disputes, None))
        for supports, disputes in sorted(added):
            found.append(_change("conflict_new", supports, "conflicts", None, disputes))
    if not found:  # the results differ somewhere this snapshot does not look (a summary sentence, a label)
        found.append(_change("other_change", None, None, None, "the results differ outside items, ranks and numbers"))
    return found
