"""CIViC cell values → our values: closed vocabularies, ids, lists, flags.

Every parser takes the row and the column so that a bad cell becomes a
DataError naming file, row, column and the accepted values. An unknown
vocabulary value (a new CIViC term, a typo in a hand-edited file) is an
error, never dropped or guessed: extend the table here when CIViC adds one
(and the closed vocabulary in :mod:`kg.model.terms` with it, rather than
rounding a value to a stronger term).
"""

from __future__ import annotations

import re
from typing import TypeVar

from kg.civic.tsv import TsvRow
from kg.core.errors import DataError
from kg.model.terms import Direction, EvidenceLevel, EvidenceType, Significance, TherapyInteraction, VariantOrigin

__all__ = [
    "DIRECTIONS",
    "EVIDENCE_TYPES",
    "INTERACTIONS",
    "LEVELS",
    "LEVEL_MEANINGS",
    "SIGNIFICANCES",
    "VARIANT_ORIGINS",
    "parse_bool",
    "parse_enum",
    "parse_id",
    "parse_id_list",
    "parse_nct_ids",
    "parse_optional_id",
    "parse_rating",
    "split_therapies",
]

T = TypeVar("T")

EVIDENCE_TYPES: dict[str, EvidenceType] = {
    "Predictive": EvidenceType.PREDICTIVE,
    "Prognostic": EvidenceType.PROGNOSTIC,
    "Diagnostic": EvidenceType.DIAGNOSTIC,
    "Predisposing": EvidenceType.PREDISPOSING,
    "Oncogenic": EvidenceType.ONCOGENIC,
    "Functional": EvidenceType.FUNCTIONAL,
}

DIRECTIONS: dict[str, Direction] = {
    "Supports": Direction.SUPPORTS,
    "Does Not Support": Direction.DOES_NOT_SUPPORT,
    "N/A": Direction.NOT_APPLICABLE,
}

SIGNIFICANCES: dict[str, Significance] = {
    "Sensitivity/Response": Significance.SENSITIVITY_RESPONSE,
    "Reduced Sensitivity": Significance.REDUCED_SENSITIVITY,
    "Resistance": Significance.RESISTANCE,
    "Adverse Response": Significance.ADVERSE_RESPONSE,
    "Poor Outcome": Significance.POOR_OUTCOME,
    "Better Outcome": Significance.BETTER_OUTCOME,
    "Positive": Significance.POSITIVE,
    "Negative": Significance.NEGATIVE,
    "Predisposition": Significance.PREDISPOSITION,
    "Protectiveness": Significance.PROTECTIVENESS,
    "Oncogenicity": Significance.ONCOGENICITY,
    "Oncogenic": Significance.ONCOGENICITY,  # assertion wording of the same term
    "Uncertain Significance": Significance.UNCERTAIN_SIGNIFICANCE,
    "Gain of Function": Significance.GAIN_OF_FUNCTION,
    "Loss of Function": Significance.LOSS_OF_FUNCTION,
    "Dominant Negative": Significance.DOMINANT_NEGATIVE,
    "Neomorphic": Significance.NEOMORPHIC,
    "Pathogenic": Significance.PATHOGENIC,
    "Likely Pathogenic": Significance.LIKELY_PATHOGENIC,
    "Benign": Significance.BENIGN,
    "Likely Benign": Significance.LIKELY_BENIGN,
    "Likely Oncogenic": Significance.LIKELY_ONCOGENIC,
    "N/A": Significance.NOT_APPLICABLE,
}

VARIANT_ORIGINS: dict[str, VariantOrigin] = {
    "Somatic": VariantOrigin.SOMATIC,
    "Rare Germline": VariantOrigin.RARE_GERMLINE,
    "Common Germline": VariantOrigin.COMMON_GERMLINE,
    "Combined": VariantOrigin.COMBINED,
    "Unknown": VariantOrigin.UNKNOWN,
    "N/A": VariantOrigin.NOT_APPLICABLE,
}

LEVELS: dict[str, EvidenceLevel] = {level.value: level for level in EvidenceLevel}

#: What each CIViC level means, for level_rationale.
LEVEL_MEANINGS: dict[EvidenceLevel, str] = {
    EvidenceLevel.A: "validated association",
    EvidenceLevel.B: "clinical evidence",
    EvidenceLevel.C: "case study",
    EvidenceLevel.D: "preclinical evidence",
    EvidenceLevel.E: "inferential association",
}

INTERACTIONS: dict[str, TherapyInteraction] = {
    "Combination": TherapyInteraction.COMBINATION,
    "Substitutes": TherapyInteraction.SUBSTITUTES,
    "Sequential": TherapyInteraction.SEQUENTIAL,
}

_ID = re.compile(r"^[1-9]\d*$")
_NCT = re.compile(r"^NCT\d{8}$")


def parse_enum(row: TsvRow, column: str, table: dict[str, T], errors: list[DataError]) -> T | None:
    """The value of a closed-vocabulary cell, or ``None`` after recording an error."""
    value = row[column]
    try:
        return table[value]
    except KeyError:
        errors.append(row.error(column, f"one of {', '.join(repr(k) for k in table)}", value))
        return None


def parse_id(row: TsvRow, column: str, errors: list[DataError]) -> int | None:
    """A required positive integer id."""
    value = row[column]
    if _ID.match(value):
        return int(value)
    errors.append(row.error(column, "a positive integer id", value))
    return None


def parse_optional_id(row: TsvRow, column: str, errors: list[DataError]) -> int | None:
    """A positive integer id, or ``None`` for an empty cell."""
    return None if row[column] == "" else parse_id(row, column, errors)


def parse_id_list(row: TsvRow, column: str, errors: list[DataError], *, allow_empty: bool = False) -> list[int]:
    """A comma-separated list of positive integer ids (CIViC writes ``"1, 2"`` or ``"1,2"``)."""
    value = row[column].strip()
    if not value:
        if not allow_empty:
            errors.append(row.error(column, "one or more comma-separated positive integer ids", value))
        return []
    parts = [part.strip() for part in value.split(",")]
    if not all(_ID.match(part) for part in parts):
        errors.append(row.error(column, "comma-separated positive integer ids", value))
        return []
    return [int(part) for part in parts]


def parse_bool(row: TsvRow, column: str, errors: list[DataError]) -> bool:
    """CIViC's ``true``/``false`` flags."""
    value = row[column]
    if value in ("true", "false"):
        return value == "true"
    errors.append(row.error(column, "'true' or 'false'", value))
    return False


def parse_rating(row: TsvRow, column: str, errors: list[DataError]) -> int | None:
    """CIViC's 1-5 star rating, or ``None`` when unrated."""
    value = row[column]
    if value == "":
        return None
    if value in ("1", "2", "3", "4", "5"):
        return int(value)
    errors.append(row.error(column, "a star rating 1-5 or an empty cell", value))
    return None


def parse_nct_ids(row: TsvRow, column: str, errors: list[DataError]) -> tuple[str, ...]:
    """ClinicalTrials.gov ids (``NCT`` + 8 digits), separated by commas (or, in a few CIViC rows, semicolons)."""
    value = row[column].strip()
    if not value:
        return ()
    parts = tuple(part.strip() for part in re.split(r"[,;]", value) if part.strip())
    bad = [part for part in parts if not _NCT.match(part)]
    if bad:
        errors.append(row.error(column, "ClinicalTrials.gov ids like NCT01234567, separated by commas", value))
        return ()
    return parts


def split_therapies(value: str) -> list[str]:
    """Split CIViC's comma-joined therapy names, keeping commas that belong to a name.

    CIViC joins therapy names with a bare comma, but a few names contain
    commas themselves: ``HER2 Inhibitor CP-724,714``, ``2,4-pyrimidinediamine``
    and ``FGF/VEGF Receptor Tyrosine Kinase Inhibitor, PD173074``. A piece is
    glued back to the one before it when it starts with a space, when it is
    only digits, or when the piece before it is only digits: chemical
    locants and code numbers, never a drug name of its own. The caller checks
    the result against the therapy interaction type (several drugs need one).
    """
    if not value:
        return []
    names: list[str] = []
    for piece in value.split(","):
        if names and (piece[:1].isspace() or piece.strip().isdigit() or names[-1].strip().isdigit()):
            names[-1] = f"{names[-1]},{piece}"
        else:
            names.append(piece)
    return [name.strip() for name in names]
