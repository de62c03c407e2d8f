"""Drugs of a CIViC release that belong to a drug class, read off ``class_members.tsv``.

CIViC lists a class ("Anti-EGFR Monoclonal Antibody", "Immune Checkpoint
Inhibitor") as a therapy of some items and the drugs of that class
(cetuximab, nivolumab) as the therapies of others, and never says which drug
is in which class. Without that link a question about the class misses the
evidence on its drugs. The table says it, one row per drug: the drug as
CIViC names it, the class (a class of ``therapy_names.tsv`` or a curated
one), and the CIViC item whose statement names the drug as a member of the
class, quoted verbatim (``tests/test_civic_class_members.py`` checks every
quote against the release).
"""

from __future__ import annotations

from collections.abc import Callable

from kg.civic.context import ImportContext
from kg.civic.names import drug_key
from kg.civic.release import CLASS_MEMBERS_FILE
from kg.civic.tsv import read_tsv
from kg.core.vocab import NodeType
from kg.model import Drug

__all__ = ["add_class_members"]

_COLUMNS = ("civic_name", "class", "eid", "quote")


def add_class_members(ctx: ImportContext, drug_ids: dict[str, str], class_id: Callable[[str], str | None]) -> None:
    """Add each row's class to its drug's ``classes``; a bad row is a data error naming its cell.

    ``drug_ids`` maps CIViC therapy names to node ids (the therapies just
    decided); ``class_id`` turns a class id of the table into the id of a
    class that exists (creating a ``therapy_names.tsv`` class on first use),
    or ``None`` when there is no such class.
    """
    path = ctx.release.directory / CLASS_MEMBERS_FILE
    if not path.is_file():
        return
    table = read_tsv(path, f"{path.parent.name}/{path.name}", _COLUMNS, ctx.errors)
    if table is None:
        return
    by_key = {drug_key(name): node for name, node in drug_ids.items()}
    for row in table:
        name, wanted, eid, quote = (row[column].strip() for column in _COLUMNS)
        if not eid.isdigit():
            ctx.errors.append(row.error("eid", "the CIViC evidence id whose statement is quoted (digits)", eid))
        if name.casefold() not in quote.casefold():
            ctx.errors.append(row.error("quote", f"a verbatim part of the statement that names {name!r}", quote))
        drug_id = by_key.get(drug_key(name))
        if drug_id is None:
            ctx.report.notes.append(f"{table.file} {row.record}: {name!r} is not a therapy of this release")
            continue
        found = class_id(wanted)
        if found is None:
            expected = "a curated drug class id or the target of a 'class' row of therapy_names.tsv"
            ctx.errors.append(row.error("class", expected, wanted))
            continue
        if not drug_id.startswith("drug:"):
            ctx.errors.append(row.error("civic_name", "a drug (this name was decided as a class)", name))
            continue
        record = ctx.records.get(drug_id)
        if isinstance(record, Drug):
            if found not in record.classes:
                ctx.records[drug_id] = record.model_copy(update={"classes": (*record.classes, found)})
        elif (curated := ctx.curated.get(drug_id)) is not None and curated.node_type is NodeType.DRUG:
            ctx.enrich_curated(drug_id, "classes", [found])
