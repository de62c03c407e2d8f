"""CIViC therapy names → one drug or drug-class node each, whatever CIViC calls it.

CIViC lists drugs, salts, trade names, NCIt's descriptive names and whole
classes side by side as "therapies" (``Imatinib``, ``Imatinib Mesylate``,
``Taxol``, ``ALK Inhibitor TAE684``, ``Chemotherapy``, ``Taxane Compound``).
Imported one drug per name, they split the evidence: a chemotherapy question
found CIViC's colorectal items under ``drug:chemotherapy`` and the seed
paper's under ``drugclass:chemotherapy``. Each name is decided once, by the
first rule that applies, and every decision is reported:

1. **the curated table** ``therapy_names.tsv`` beside the release (a reason
   per row): ``same`` (another name of a curated drug or class, or of another
   CIViC therapy: becomes its synonym), ``broader`` (read as a broader curated
   class that is true of every item naming it, with a note on each item),
   ``class`` (a drug class of ours, created with the row's parents and
   synonyms), ``distinct`` (looks like a duplicate but is not; the audit in
   :mod:`kg.civic.duplicates` reads these);
2. **spelling**: the same name in another case or punctuation
   (``JQ1``/``JQ-1``);
3. **a curated drug**, then **a curated drug class**, by name
   (:class:`~kg.civic.reconcile.CuratedIndex`);
4. **salt form**: ``X <counter-ion>`` is drug X when the release or the
   curated data names X (drugs are moieties, ``data/README.md``);
5. otherwise a new drug.

A name merged into another node keeps working as a name: it becomes a
synonym of that node, and so does the id it had as a drug of its own
(``drug:imatinib-mesylate``, ``drug:chemotherapy``), so ids that questions
and links used before still resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.civic.class_members import add_class_members
from kg.civic.context import ImportContext
from kg.civic.names import drug_key, salt_moiety
from kg.civic.reconcile import Decision
from kg.civic.release import THERAPY_NAMES_FILE
from kg.civic.tsv import TsvRow, read_tsv
from kg.core.vocab import NodeType
from kg.model import Drug, DrugClass, Entity

__all__ = ["DECISIONS", "Therapies", "TherapyRule", "drug_slug", "import_therapies", "read_therapy_rules"]

#: What a row of the therapy table can decide.
DECISIONS = ("same", "broader", "class", "distinct")
_COLUMNS = ("civic_name", "decision", "target", "parents", "synonyms", "reason")
_CLASS_ID = re.compile(r"^drugclass:[a-z0-9][a-z0-9-]*$")


def drug_slug(name: str) -> str:
    """``Trastuzumab Emtansine`` → ``trastuzumab-emtansine``."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", name.casefold())).strip("-") or "drug"


@dataclass(frozen=True)
class TherapyRule:
    """One row of ``therapy_names.tsv``."""

    row: TsvRow
    name: str
    decision: str
    target: str
    parents: tuple[str, ...]
    synonyms: tuple[str, ...]
    reason: str


@dataclass
class Therapies:
    """CIViC therapy name → node id (``drug:`` or ``drugclass:``), and the item note some names need."""

    ids: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    rules: dict[str, TherapyRule] = field(default_factory=dict)  # by drug_key of the CIViC name


def _split(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in cell.split("|") if part.strip()))


def read_therapy_rules(ctx: ImportContext, release_names: dict[str, str]) -> dict[str, TherapyRule]:
    """The table's rows by drug_key of their CIViC name; a bad row is a data error naming its cell.

    ``release_names`` maps drug_key → the CIViC spelling, for every therapy
    the release names: a ``same`` row may point at one of them by name.
    """
    path = ctx.release.directory / THERAPY_NAMES_FILE
    if not path.is_file():
        ctx.report.notes.append(f"no {THERAPY_NAMES_FILE} in the release directory: therapies decided by rule only")
        return {}
    table = read_tsv(path, f"{path.parent.name}/{path.name}", _COLUMNS, ctx.errors)
    if table is None:
        return {}
    rules: dict[str, TherapyRule] = {}
    class_rows = {row["target"].strip(): row for row in table if row["decision"].strip() == "class"}
    for row in table:
        rule = _read_rule(ctx, row, release_names, class_rows)
        if rule is None:
            continue
        key = drug_key(rule.name)
        if key in rules:
            ctx.errors.append(
                row.error("civic_name", f"a name not decided before ({rules[key].row.record})", rule.name)
            )
            continue
        rules[key] = rule
        if key not in release_names:
            ctx.report.notes.append(
                f"{table.file} {row.record}: {rule.name!r} is not a therapy of this release (row kept for later ones)"
            )
    return rules


def _read_rule(
    ctx: ImportContext, row: TsvRow, release_names: dict[str, str], class_rows: dict[str, TsvRow]
) -> TherapyRule | None:
    before = len(ctx.errors)
    name, decision, target = row["civic_name"].strip(), row["decision"].strip(), row["target"].strip()
    parents, synonyms, reason = _split(row["parents"]), _split(row["synonyms"]), row["reason"].strip()
    if not name:
        ctx.errors.append(row.error("civic_name", "a therapy name as CIViC writes it", name))
    if decision not in DECISIONS:
        ctx.errors.append(row.error("decision", f"one of {', '.join(DECISIONS)}", decision))
    if not reason:
        ctx.errors.append(row.error("reason", "why: the evidence for the decision (CIViC items, names)", reason))
    if decision != "class" and (parents or synonyms):
        column = "parents" if parents else "synonyms"
        ctx.errors.append(row.error(column, "an empty cell: parents and synonyms belong to 'class' rows", row[column]))
    curated = ctx.curated.get(target) if ":" in target else None
    if decision in ("same", "broader"):
        wanted = (NodeType.DRUG_CLASS,) if decision == "broader" else (NodeType.DRUG, NodeType.DRUG_CLASS)
        if ":" in target:
            if curated is None or curated.node_type not in wanted:
                kinds = " or ".join(t.info.label for t in wanted)
                ctx.errors.append(row.error("target", f"the id of a curated {kinds}", target))
        elif decision == "broader" or drug_key(target) not in release_names or drug_key(target) == drug_key(name):
            expected = "the id of a curated drug class" if decision == "broader" else "a curated id or another therapy"
            ctx.errors.append(row.error("target", f"{expected} named by this release", target))
    if decision == "class":
        if not _CLASS_ID.match(target):
            ctx.errors.append(row.error("target", "the id of a new drug class, drugclass:<slug>", target))
        elif curated is not None:
            ctx.errors.append(row.error("target", "an id the curated data does not use ('same' maps onto it)", target))
        for parent in parents:
            known = ctx.curated.get(parent)
            if not (known is not None and known.node_type is NodeType.DRUG_CLASS) and parent not in class_rows:
                expected = "curated drug class ids or targets of other 'class' rows, separated by '|'"
                ctx.errors.append(row.error("parents", expected, parent))
    if len(ctx.errors) > before:
        return None
    return TherapyRule(row, name, decision, target, parents, synonyms, reason)


@dataclass
class _Run:
    """One pass over the therapy names of a release."""

    ctx: ImportContext
    rules: dict[str, TherapyRule]
    release_names: dict[str, str]  # drug_key → first CIViC spelling
    rows: dict[str, TsvRow]  # drug_key → first row naming it
    result: Therapies
    by_key: dict[str, str] = field(default_factory=dict)  # drug_key → node id
    busy: set[str] = field(default_factory=set)
    new_drugs: dict[str, tuple[str, TsvRow]] = field(default_factory=dict)  # id → (label, row)
    classes: dict[str, str] = field(default_factory=dict)  # class-row target → id created
    extra: dict[str, list[str]] = field(default_factory=dict)  # node id → names to add as synonyms

    def resolve(self, name: str) -> str | None:
        key = drug_key(name)
        found = self.by_key.get(key)
        if found is not None:
            return found
        if key in self.busy:
            rule = self.rules[key]
            self.ctx.errors.append(rule.row.error("target", "a chain of 'same' rows that ends (this one loops)", name))
            return None
        self.busy.add(key)
        try:
            found = self._decide(self.release_names.get(key, name))
        finally:
            self.busy.discard(key)
        if found is not None:
            self.by_key[key] = found
        return found

    # -- the rules, in order --------------------------------------------------------------
    def _decide(self, name: str) -> str | None:
        rule = self.rules.get(drug_key(name))
        if rule is not None and rule.decision in ("same", "broader"):
            return self._by_table(name, rule)
        if rule is not None and rule.decision == "class":
            return self._class(rule, name)
        index = self.ctx.index
        decision = index.reconcile(NodeType.DRUG, name, (), [name])
        if not decision.merged and decision.rule == "no match":
            as_class = index.reconcile(NodeType.DRUG_CLASS, name, (), [name])
            if as_class.merged:
                decision = Decision(NodeType.DRUG, name, as_class.curated_id, "name (drug class)", as_class.detail)
                self._merged_away(name, as_class.curated_id or "", synonym=False)
        if decision.merged:
            self.ctx.decide(decision)
            return decision.curated_id
        moiety = salt_moiety(name)
        if moiety is not None:
            target = self._moiety(moiety)
            if target is not None:
                detail = f"{name!r} is a salt of {moiety!r}; a drug is its moiety (data/README.md, drug forms)"
                self._record(Decision(NodeType.DRUG, name, target, "salt form", detail))
                self._merged_away(name, target, synonym=True)
                return target
        self.ctx.decide(decision)
        drug_id = self.ctx.allocate(f"drug:{drug_slug(name)}", f"therapy {name}")
        self.new_drugs[drug_id] = (name, self.rows[drug_key(name)])
        return drug_id

    def _by_table(self, name: str, rule: TherapyRule) -> str | None:
        if ":" in rule.target:
            target: str | None = rule.target
        else:
            target = self.resolve(rule.target)
        if target is None:
            return None
        self._record(Decision(NodeType.DRUG, name, target, f"table: {rule.decision}", rule.reason))
        self._merged_away(name, target, synonym=rule.decision == "same")
        if rule.decision == "broader":
            label = getattr(self.ctx.curated.get(target), "label", target)
            self.result.notes[name] = (
                f"CIViC's therapy {name!r} is read as the broader drug class {label} ({target}): {rule.reason} "
                f"(data/civic/{THERAPY_NAMES_FILE})."
            )
        return target

    def _class(self, rule: TherapyRule, name: str | None) -> str:
        """The drug class of a 'class' row, created once (with the classes of its parents first)."""
        if name is not None:
            detail = f"a drug class of ours, {rule.target}: {rule.reason}"
            self._record(Decision(NodeType.DRUG, name, None, "table: class", detail))
            self._merged_away(name, rule.target, synonym=False)
        if rule.target in self.classes:
            return self.classes[rule.target]
        self.classes[rule.target] = rule.target
        parents: list[str] = []
        for parent in rule.parents:
            if parent in self.ctx.curated:
                parents.append(parent)
                continue
            parent_rule = next(r for r in self.rules.values() if r.decision == "class" and r.target == parent)
            parents.append(self._class(parent_rule, None))
        note = (
            f"A drug class that CIViC lists among its therapies as {rule.name!r}; evidence-kg reads it as a class "
            f"(data/civic/{THERAPY_NAMES_FILE}): {rule.reason}."
        )
        with self.ctx.building(rule.row):
            self.ctx.add(
                DrugClass(
                    id=rule.target,
                    label=rule.name,
                    synonyms=rule.synonyms,
                    parents=tuple(dict.fromkeys(parents)),
                    curator_note=note,
                ),
                rule.row,
            )
        return rule.target

    def class_for(self, class_id: str) -> str | None:
        """``class_id`` if it is a curated drug class; the class of the 'class' row with that target (created on
        first use); else ``None``."""
        curated = self.ctx.curated.get(class_id)
        if curated is not None:
            return class_id if curated.node_type is NodeType.DRUG_CLASS else None
        for rule in self.rules.values():
            if rule.decision == "class" and rule.target == class_id:
                return self._class(rule, None)
        return None

    def _moiety(self, moiety: str) -> str | None:
        """The node of a salt's moiety, when the release or the curated data names it."""
        if drug_key(moiety) in self.release_names:
            return self.resolve(moiety)
        decision = self.ctx.index.reconcile(NodeType.DRUG, moiety, (), [moiety])
        return decision.curated_id

    # -- bookkeeping ------------------------------------------------------------------------
    def _record(self, decision: Decision) -> None:
        """Merges into a curated record are reconciliation decisions; merges into CIViC's own are duplicates."""
        if decision.curated_id is not None and decision.curated_id not in self.ctx.curated:
            self.ctx.report.duplicates_merged.append(decision)
        else:
            self.ctx.decide(decision)

    def _merged_away(self, name: str, target: str, *, synonym: bool) -> None:
        """``name`` (and the id it had as a drug of its own) become synonyms of ``target``."""
        names = [name] if synonym else []
        old_id = f"drug:{drug_slug(name)}"
        if old_id != target:
            names.append(old_id)
        self.extra.setdefault(target, []).extend(names)

    def finish(self) -> None:
        """Create the new drugs and add the synonyms each merge left on its target."""
        for drug_id, (label, row) in self.new_drugs.items():
            with self.ctx.building(row):
                self.ctx.add(Drug(id=drug_id, label=label), row)
        for target, names in self.extra.items():
            record = self.ctx.records.get(target) or self.ctx.curated.get(target)
            present = {drug_key(n) for n in record.all_names()} if isinstance(record, Entity) else set()
            pending = [n for n in dict.fromkeys(names) if drug_key(n) not in present]
            if not pending or not isinstance(record, Entity):
                continue
            if target in self.ctx.records:
                self.ctx.records[target] = record.model_copy(update={"synonyms": (*record.synonyms, *pending)})
            else:
                self.ctx.enrich_curated(target, "synonyms", list(pending))


def import_therapies(ctx: ImportContext, names: list[tuple[str, TsvRow]]) -> Therapies:
    """Decide every therapy name of the release (see the module docstring); return name → node id."""
    release_names: dict[str, str] = {}
    rows: dict[str, TsvRow] = {}
    for name, row in names:
        key = drug_key(name)
        release_names.setdefault(key, name)
        rows.setdefault(key, row)
    result = Therapies(rules=read_therapy_rules(ctx, release_names))
    if ctx.errors:
        return result
    run = _Run(ctx, result.rules, release_names, rows, result)
    for name, _ in names:
        if name in result.ids:
            continue
        key = drug_key(name)
        first = release_names[key]
        found = run.resolve(name)
        if found is None:
            continue
        result.ids[name] = found
        if name != first and name not in result.ids.values():
            detail = f"{name!r} and {first!r} differ only in case or punctuation"
            ctx.report.duplicates_merged.append(Decision(NodeType.DRUG, name, found, "spelling", detail))
    run.finish()
    add_class_members(ctx, result.ids, run.class_for)
    return result
