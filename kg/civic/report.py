"""The import report: what was read, created, merged with curated records, and what stayed apart.

A curator reads it to check the reconciliation (every merge names its rule
and the identifier or name it rests on), the duplicates merged within the
release, the alteration hierarchy derived from CIViC's names, every name
collision left and how it was decided, curated entities CIViC does not
know, and what was skipped and why. It prints as text
(``kg import civic``) and converts to a JSON-able dict for the API and CI.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kg.civic.reconcile import Decision

__all__ = ["CivicReport"]


@dataclass
class CivicReport:
    """Counts and decisions of one CIViC import."""

    release: str
    directory: str
    rows_read: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    #: CIViC entities merged into another CIViC entity: salts, spellings, one allele under two names
    duplicates_merged: list[Decision] = field(default_factory=list)
    hierarchy_links: list[str] = field(default_factory=list)  # "child is a kind of parent (rule)"
    hierarchy_counts: dict[str, int] = field(default_factory=dict)  # links by rule
    hierarchy_gained: int = 0  # alterations with no parent under the generic rule that have one now
    hierarchy_specific: int = 0  # alterations given a parent more specific than the generic one
    hierarchy_skipped: list[str] = field(default_factory=list)  # names the rules would not read, and why
    aliases_dropped: list[str] = field(default_factory=list)
    #: every pair of entities whose names or verified ids collide after the import, and how it is decided
    collisions: list[dict[str, str]] = field(default_factory=list)
    curated_unmatched: dict[str, list[str]] = field(default_factory=dict)
    augmented: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    dropped_references: list[str] = field(default_factory=list)
    id_collisions: list[str] = field(default_factory=list)
    flagged_items: int = 0
    outcomes_extracted: int = 0
    items_with_outcomes: int = 0
    #: figures read from statements but not kept as outcomes (or kept without their p-value), by reason
    #: (:data:`kg.civic.outcomes.NOT_KEPT_REASONS`)
    outcomes_not_kept: dict[str, int] = field(default_factory=dict)
    diseases_without_parent: list[str] = field(default_factory=list)
    hierarchy_file: str | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    # -- views -------------------------------------------------------------------
    @property
    def merges(self) -> list[Decision]:
        """CIViC entities that became (or enriched) a curated record."""
        return [d for d in self.decisions if d.merged]

    @property
    def apart(self) -> list[Decision]:
        """CIViC entities kept as new records, with the reason."""
        return [d for d in self.decisions if not d.merged]

    @property
    def undecided(self) -> list[dict[str, str]]:
        """Name or id collisions no rule or table row decides: each needs a curator's decision."""
        return [c for c in self.collisions if c["decision"] == "undecided"]

    def merge_counts(self) -> dict[str, int]:
        """Merges by rule (``identifier``, ``name``)."""
        return dict(Counter(d.rule for d in self.merges))

    def apart_counts(self) -> dict[str, dict[str, int]]:
        """Non-merges by node type and reason."""
        counts: dict[str, Counter[str]] = {}
        for decision in self.apart:
            counts.setdefault(decision.node_type.value, Counter())[decision.rule] += 1
        return {kind: dict(counter) for kind, counter in sorted(counts.items())}

    # -- renderings ----------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        """Everything, as plain JSON-able values."""

        def decision(d: Decision) -> dict[str, str | None]:
            return {
                "type": d.node_type.value,
                "civic": d.civic_label,
                "curated_id": d.curated_id,
                "rule": d.rule,
                "detail": d.detail,
            }

        return {
            "release": self.release,
            "directory": self.directory,
            "rows_read": dict(self.rows_read),
            "created": dict(self.created),
            "merged": [decision(d) for d in self.merges],
            "merge_counts": self.merge_counts(),
            "duplicates_merged": [decision(d) for d in self.duplicates_merged],
            "hierarchy": {
                "links": list(self.hierarchy_links),
                "by_rule": dict(self.hierarchy_counts),
                "gained_a_parent": self.hierarchy_gained,
                "given_a_more_specific_parent": self.hierarchy_specific,
                "not_read": list(self.hierarchy_skipped),
                "aliases_dropped": list(self.aliases_dropped),
            },
            "collisions": [dict(c) for c in self.collisions],
            "undecided_collisions": [dict(c) for c in self.undecided],
            "apart": [decision(d) for d in self.apart if d.rule != "no match"],
            "apart_counts": self.apart_counts(),
            "curated_unmatched": {k: list(v) for k, v in self.curated_unmatched.items()},
            "augmented": {k: list(v) for k, v in self.augmented.items()},
            "skipped": list(self.skipped),
            "dropped_references": list(self.dropped_references),
            "id_collisions": list(self.id_collisions),
            "flagged_items": self.flagged_items,
            "outcomes_extracted": self.outcomes_extracted,
            "items_with_outcomes": self.items_with_outcomes,
            "outcomes_not_kept": dict(self.outcomes_not_kept),
            "diseases_without_parent": list(self.diseases_without_parent),
            "hierarchy_file": self.hierarchy_file,
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        }

    def to_text(self) -> str:
        """A readable summary: counts, every merge, and every non-merge that is not a plain 'no match'."""
        lines = [f"CIViC import of {self.release} from {self.directory} ({self.seconds:.2f} s)", "", "Rows read:"]
        lines += [f"  {name}: {count}" for name, count in self.rows_read.items()]
        lines += ["", "Records created (new CIViC entities):"]
        lines += [f"  {name}: {count}" for name, count in self.created.items() if count]
        lines += [
            f"  flagged in CIViC (kept, with a curator note): {self.flagged_items}",
            f"  outcomes machine-extracted: {self.outcomes_extracted} in {self.items_with_outcomes} items",
        ]
        if self.outcomes_not_kept:
            total = sum(self.outcomes_not_kept.values())
            lines.append(f"  figures read but not kept as outcomes, or kept without their p-value: {total}")
            lines += [f"    {reason}: {n}" for reason, n in sorted(self.outcomes_not_kept.items())]
        merges = self.merges
        counts = ", ".join(f"{rule}: {n}" for rule, n in sorted(self.merge_counts().items())) or "none"
        lines += ["", f"Merged with curated records ({len(merges)}; by rule: {counts}):"]
        lines += [f"  {d.node_type.value} {d.civic_label!r} → {d.curated_id} by {d.rule} ({d.detail})" for d in merges]
        lines += ["", "Kept apart (new records), by type and reason:"]
        for kind, reasons in self.apart_counts().items():
            lines.append(f"  {kind}: " + ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items())))
        special = [d for d in self.apart if d.rule != "no match"]
        lines += [f"  {d.node_type.value} {d.civic_label!r}: {d.rule} ({d.detail})" for d in special]
        if self.duplicates_merged:
            lines += ["", f"Duplicates within the release merged ({len(self.duplicates_merged)}):"]
            lines += [
                f"  {d.node_type.value} {d.civic_label!r} → {d.curated_id} by {d.rule} ({d.detail})"
                for d in self.duplicates_merged
            ]
        by_rule = ", ".join(f"{rule}: {n}" for rule, n in self.hierarchy_counts.items()) or "none"
        lines += [
            "",
            f"Alteration hierarchy from CIViC's names and coordinates ({len(self.hierarchy_links)} links; {by_rule}):",
            f"  alterations that gained a parent: {self.hierarchy_gained}; "
            f"given a more specific one: {self.hierarchy_specific}",
        ]
        lines += [f"  {link}" for link in self.hierarchy_links]
        decided: dict[str, int] = {}
        for collision in self.collisions:
            decided[collision["decision"]] = decided.get(collision["decision"], 0) + 1
        counts = ", ".join(f"{k}: {n}" for k, n in sorted(decided.items())) or "none"
        lines += ["", f"Name and identifier collisions left after the import ({len(self.collisions)}; {counts}):"]
        lines += [
            f"  {c['type']} {c['a']} / {c['b']} share {c['shared']}: {c['decision']} ({c['reason']})"
            for c in self.collisions
        ]
        if self.curated_unmatched:
            lines += ["", "Curated entities with no CIViC counterpart:"]
            lines += [f"  {kind}: {', '.join(ids)}" for kind, ids in self.curated_unmatched.items() if ids]
        if self.augmented:
            lines += ["", "Curated records given CIViC identifiers or parents:"]
            lines += [f"  {rid}: {', '.join(added)}" for rid, added in self.augmented.items()]
        for title, items in (
            ("Skipped", self.skipped),
            ("Dropped references", self.dropped_references),
            ("Id collisions (suffixed)", self.id_collisions),
            ("Names the hierarchy rules did not read", self.hierarchy_skipped),
            ("CIViC aliases dropped (they name a narrower variant)", self.aliases_dropped),
            ("Diseases without a parent", self.diseases_without_parent),
            ("Notes", self.notes),
        ):
            if items:
                lines += ["", f"{title}:"] + [f"  {item}" for item in items]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()
