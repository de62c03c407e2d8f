"""Reading a researcher's question: every facet it names, how each name is qualified, and what was left out and why.

``read_question(kg, "pyrotinib vs trastuzumab after EGFR-TKI failure: ORR?")``
returns a frozen :class:`Reading`: therapies (either arm of the comparison),
prior therapies (the setting, never co-drugs), alterations and the ones read
as absent, the disease, studies, the patient case and what about it is asked,
sites, adverse events, mechanisms, pathways, biomarker definitions, lines of
therapy, the outcome measures that order the answer, cue-word filters, and
``ignored``: every name-like word that was not read, with the reason. The
reading does not depend on the query engine; :mod:`kg.query.ask` turns it
into the engine's query.

The names come from :mod:`kg.reader.names` (the same names papers are read
with), the measure words from :mod:`kg.reader.measures`, the grammar around
names from :mod:`kg.reader.cues`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kg.core.errors import InvalidQueryError
from kg.core.text import is_blank
from kg.core.vocab import NodeType
from kg.model import BiomarkerDefinition, CaseEvent, PatientCase
from kg.model.terms import AlterationKind, OutcomeMeasure
from kg.reader import cues
from kg.reader.keywords import keywords
from kg.reader.lexicon import lexicon
from kg.reader.measures import Family, MeasureMention, find_measure_terms
from kg.reader.names import Mention, find_names
from kg.reader.question_reading import FACETS, Ignored, Reading, interpretation
from kg.runtime.memo import MemoSpec
from kg.runtime.resolve import name_key

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["FACETS", "MAX_QUESTION_LENGTH", "READINGS", "Ignored", "Reading", "read_question"]

#: Longest question accepted (characters).
MAX_QUESTION_LENGTH = 1000

_PROPORTION = re.compile(
    r"\b(?:proportions?|percentages?|prevalence|how common|frequency|frequencies|incidence|how often"
    r"|(?:what|which) (?:share|fraction|percent)|(?:share|fraction)s? of)\b",
    re.I,
)
_INFERRED_CASE_TOPICS = frozenset({"surgery", "pathology", "radiotherapy", "test", "timeline"})
_TIMEPOINT_BEFORE = re.compile(
    r"(?:\b\d+|\bone|\btwo|\bthree|\bfour|\bfive|\bten)[- ]?(?:years?|yrs?|months?|mo)[- ]?$", re.I
)
_RATE_AFTER = re.compile(r"^\s*(?:rates?\b|at\s+(?:\d+|one|two|three|five)\s+(?:years?|months?))", re.I)
_SURVIVAL_RATE = re.compile(r"\b(?:\d+|one|two|three|five)[- ]?year(?:s)?[- ](?:survival|survivors?)\b", re.I)
_MEDIAN_SURVIVAL = re.compile(r"\bmedian (?:survival|overall survival time)\b", re.I)
_CONNECTIVE_WORD = re.compile(r"\b(?:vs\.?|versus|compared (?:with|to))(?=\s)", re.I)


def _measures(text: str, found: Sequence[MeasureMention]) -> list[OutcomeMeasure]:
    """Measures named, in order: an endpoint is a median, a rate at a timepoint, or (unqualified) both."""
    measures: list[OutcomeMeasure] = []
    for mention in found:
        term = mention.term
        if term.family is not Family.ENDPOINT:
            measures += list(term.measures)
            continue
        before = text[max(0, mention.start - 14) : mention.start]
        after = text[mention.end : mention.end + 20]
        rate = bool(_TIMEPOINT_BEFORE.search(before) or _RATE_AFTER.match(after))
        if rate and term.rate is not None:
            measures.append(term.rate)
        elif mention.median or term.rate is None:
            measures.append(term.median)  # type: ignore[arg-type]
        else:
            measures += [term.median, term.rate]  # type: ignore[list-item]
    if _SURVIVAL_RATE.search(text):
        measures.append(OutcomeMeasure.OS_RATE)
    if _MEDIAN_SURVIVAL.search(text):
        measures.append(OutcomeMeasure.OS_MEDIAN)
    if _PROPORTION.search(text):
        measures.append(OutcomeMeasure.PROPORTION)
    return list(dict.fromkeys(measures))


def _most_specific(kg: KnowledgeGraph, diseases: list[str]) -> str:
    for disease in diseases:
        if not any(disease in kg.hierarchy.ancestors(other) for other in diseases if other != disease):
            return disease
    return diseases[0]


def _cases(kg: KnowledgeGraph, mentions: Sequence[Mention], named: list[str]) -> tuple[list[str], str | None]:
    """The case a question about "the patient" means: the one case, or the one whose disease/alterations/drugs it names."""
    cases = [c for c in kg.corpus.table(NodeType.PATIENT_CASE).values() if isinstance(c, PatientCase)]
    if named or not cases:
        return named, None
    if len(cases) == 1:
        return [cases[0].id], None
    ids = {m.entity for m in mentions}

    def overlap(case: PatientCase) -> int:
        drugs = {d for event in case.events for d in event.drugs}
        return len(ids & ({case.disease} | set(case.alterations) | drugs))

    best = max(overlap(case) for case in cases)
    chosen = [case.id for case in cases if overlap(case) == best]
    note = None if len(chosen) == 1 else f"'the patient' could be any of {len(chosen)} cases; all are read"
    return chosen, note


def _biomarkers(kg: KnowledgeGraph, alterations: Iterable[str]) -> list[str]:
    """Definitions of the alterations asked (or of their narrower or broader alterations)."""
    wanted = set(alterations)
    related = set(wanted)
    for alteration in wanted:
        related |= set(kg.hierarchy.ancestors(alteration)) | set(kg.hierarchy.descendants(alteration))
    return [
        record.id
        for record in kg.corpus.table(NodeType.BIOMARKER_DEFINITION).values()
        if isinstance(record, BiomarkerDefinition) and record.biomarker in related
    ]


def _mechanisms_of(kg: KnowledgeGraph, alterations: Iterable[str]) -> list[str]:
    wanted = set(alterations)
    return [m.id for m in kg.corpus.resistance_mechanisms.values() if m.alteration in wanted]


def _validate(question: str) -> None:
    if not question or is_blank(question):
        raise InvalidQueryError("q", question, "a non-empty question")
    if len(question) > MAX_QUESTION_LENGTH:
        raise InvalidQueryError("q", f"{question[:40]}…", f"a question of at most {MAX_QUESTION_LENGTH} characters")


#: Readings by question text (a reading is a pure function of the graph and the text).
READINGS: MemoSpec[str, Reading] = MemoSpec("question readings", max_entries=10_000)


def read_question(kg: KnowledgeGraph, question: str) -> Reading:
    """Read a free-text question into a :class:`Reading` (see the module docstring).

    Readings are frozen and depend only on the graph and the text, so each
    is kept in the graph's memo and handed out again for the same question.
    """
    _validate(question)
    return kg.memo.table(READINGS).get_or_compute(question, lambda: _read(kg, question))


def _read(kg: KnowledgeGraph, question: str) -> Reading:
    text = question
    measure_mentions = find_measure_terms(text)
    clinical = cues.clinical_terms(text)
    skip = [(m.start, m.end) for m in measure_mentions] + [(c.start, c.end) for c in clinical]
    names = find_names(kg, text, skip=skip)
    mentions = list(names.mentions)
    negated_at, negation_cues = cues.negated(text, mentions)
    prior_at, prior_cues = cues.prior_therapies(text, mentions, negated_at)
    resistant_at = cues.resistance_context(text, mentions) - prior_at - negated_at
    others = {i for i, m in enumerate(mentions) if m.facet == "therapy"} - negated_at - prior_at - resistant_at
    for index in sorted(resistant_at):  # "imatinib-resistant CML: dasatinib or nilotinib?" is a setting
        if others and re.match(r"-(?:resistan|refractor)", text[mentions[index].end :], re.I):
            prior_at.add(index)
            prior_cues.append(cues.Cue("-resistant", mentions[index].end, mentions[index].end + 10, "prior therapy"))
    resistant_at -= prior_at
    therapy_at = {i for i, m in enumerate(mentions) if m.facet == "therapy"} - negated_at - prior_at
    sides, comparison_cues = cues.comparison(text, mentions, therapy_at)
    contrast: list[list[int]] = []
    if not sides:  # "exon 19 deletion versus L858R": two alterations compared
        altered = {i for i, m in enumerate(mentions) if m.facet == "alteration"} - negated_at
        contrast, contrast_cues = cues.comparison(text, mentions, altered, facet="alteration")
        contrast = contrast if len(contrast) == 2 else []
        comparison_cues += contrast_cues if contrast else []
    groups = cues.combinations(text, mentions, therapy_at) if not sides else []
    line_values, line_cues = cues.lines(text)
    # a cue word spent on a setting ("imatinib-resistant": the prior therapy) is not also a filter
    spent = sorted((cue.start, cue.end) for cue in prior_cues)
    filters = cues.filters("".join(" " if any(a <= i < b for a, b in spent) else c for i, c in enumerate(text)))
    if resistant_at and "resistance" not in filters.get("significance", ()):
        filters["significance"] = (*filters.get("significance", ()), "resistance")

    role: dict[int, str] = {}
    for index, mention in enumerate(mentions):
        facet = mention.facet
        if index in negated_at:
            role[index] = "negated"
        elif index in prior_at:
            role[index] = "prior_therapy"
        elif facet is not None:
            role[index] = facet

    def expand(mention: Mention) -> list[str]:
        """A study arm stands for its drugs."""
        if mention.node_type is NodeType.ARM:
            arm = kg.corpus.get(mention.entity)
            return list(getattr(arm, "drugs", ())) or [mention.entity]
        return [mention.entity]

    by_facet: dict[str, list[str]] = {}
    for index in sorted(role):
        by_facet.setdefault(role[index], []).extend(expand(mentions[index]))

    def ids(facet: str) -> list[str]:
        return list(dict.fromkeys(by_facet.get(facet, ())))

    notes: list[str] = [m.note for m in mentions if m.note]
    uncertain = any(m.how == "fuzzy" for m in mentions)
    ignored: list[Ignored] = [Ignored(u.text, u.start, u.end, u.reason) for u in names.unknown]
    lex = lexicon(kg)

    diseases = ids("disease")
    disease = _most_specific(kg, diseases) if diseases else None
    for index, mention in enumerate(mentions):
        if role.get(index) == "disease" and mention.entity != disease:
            ignored.append(_ignore(mention, "one disease per question: the most specific named one is used"))
            del role[index]
        elif index not in role:
            ignored.append(_ignore(mention, f"a {mention.node_type.info.label}: not a facet of questions"))
    if len(set(diseases)) > 1:
        uncertain = True

    case_ids = [_case_of(kg, mentions[i]) for i in sorted(role) if role[i] == "case"]
    case_phrases = cues.case_cues(text)
    case_note = None
    if case_ids or case_phrases:
        case_ids, case_note = _cases(kg, mentions, list(dict.fromkeys(case_ids)))
    if case_note:
        notes.append(case_note)
        uncertain = True

    alterations = ids("alteration")
    for index in sorted(role):  # "NPM1 mutation": the gene's one mutation record, when it has exactly one
        mention = mentions[index]
        if role[index] == "alteration" and mention.node_type is NodeType.GENE:
            only = _only_mutation(kg, text, mention)
            if only is not None:
                alterations = [only if a == mention.entity else a for a in alterations]
                notes.append(
                    f"read '{mention.text} mutation' as {lex.label(only)} (the graph's one {mention.text} mutation)"
                )
                uncertain = True
    negated = ids("negated")
    for wild, gene in _wildtype_genes(kg, alterations):  # "KRAS wild-type": no KRAS mutation, read as absent
        negated += [a for a in (gene, f"alt:{gene.split(':', 1)[1]}-mutation") if a not in negated and a in kg.corpus]
        alterations = [a for a in alterations if a != wild]
    mechanisms = ids("mechanism")
    therapy = ids("therapy")
    for (
        mechanism
    ) in mechanisms:  # "acquired resistance to EGFR-TKIs": the therapy named inside the mechanism stays asked
        therapy += [t for t in _therapies_named_in(kg, mechanism, mentions) if t not in therapy]
    if "resistance" in filters.get("significance", ()) or re.search(r"\bmechanism", text, re.I):
        mechanisms += [m for m in _mechanisms_of(kg, alterations) if m not in mechanisms]
    biomarkers = ids("biomarker")
    definition = cues.definition_cue(text)
    if definition is not None:
        found = _biomarkers(kg, alterations)
        biomarkers += [b for b in found if b not in biomarkers]
        if not found and not biomarkers:
            notes.append(f"'{definition.text}' asks for a definition; none is attached to what the question names")

    comparison = tuple(tuple(dict.fromkeys(e for i in side for e in expand(mentions[i]))) for side in sides)
    if len(sides) == 1:
        notes.append("a comparison with an arm that is not in the graph: the named arm is asked for")
        uncertain = True
    studies = ids("study") + [
        study
        for i in sorted(role)
        if mentions[i].node_type is NodeType.ARM
        for study in _study_of_arm(kg, mentions[i].entity)
    ]
    if (
        not case_ids
        and not case_phrases
        and not (therapy or alterations or diseases or studies or biomarkers or mechanisms)
    ):
        topics = set(cues.case_topics(text)) & _INFERRED_CASE_TOPICS
        if topics:
            case_ids, case_note = _cases(kg, mentions, [])
            if case_ids:
                notes.append(
                    f"read as about the patient case: it asks about {', '.join(sorted(topics))} and names no drug, alteration or disease"
                )
                uncertain = True
    if not sides and not contrast and _CONNECTIVE_WORD.search(text) and len(therapy) >= 1:
        notes.append("a comparison word was found, but not two therapies to compare: read as named")
        uncertain = True
    if len(sides) == 2:
        notes.append("comparison: either arm is asked for; evidence comparing them head to head first")
    if contrast:
        notes.append("alterations compared: either is asked for; evidence comparing them first")

    fields: dict[str, Any] = {
        "question": question,
        "therapy": tuple(therapy),
        "comparison": comparison,
        "contrast": tuple(tuple(dict.fromkeys(mentions[i].entity for i in side)) for side in contrast),
        "defining": cues.defining(text),
        "combination": tuple(tuple(dict.fromkeys(mentions[i].entity for i in group)) for group in groups),
        "prior_therapy": tuple(ids("prior_therapy")),
        "line": tuple(line_values),
        "alteration": tuple(alterations),
        "negated": tuple(negated),
        "disease": disease,
        "study": tuple(dict.fromkeys(studies)),
        "case": tuple(case_ids),
        "case_topics": tuple(cues.case_topics(text)) if case_ids else (),
        "site": tuple(ids("site")),
        "adverse_event": tuple(ids("adverse_event")),
        "mechanism": tuple(mechanisms),
        "pathway": tuple(ids("pathway")),
        "biomarker": tuple(biomarkers),
        "measure": tuple(_measures(text, measure_mentions)),
        "evidence_type": filters.get("evidence_type", ()),
        "significance": filters.get("significance", ()),
        "direction": filters.get("direction", ()),
        "evidence": tuple(ids("evidence")),
        "recognised": tuple((mentions[i], role[i]) for i in sorted(role)),
        "ignored": tuple(sorted(ignored, key=lambda item: item.start)),
        "notes": tuple(dict.fromkeys(notes)),
        "uncertain": uncertain,
        "keywords": keywords(
            text,
            [(m.start, m.end) for m in mentions]
            + [(m.start, m.end) for m in measure_mentions]
            + [(u.start, u.end) for u in names.unknown]
            + [(c.start, c.end) for c in (*clinical, *negation_cues, *prior_cues, *comparison_cues, *line_cues)]
            + [(c.start, c.end) for c in case_phrases]
            + cues.filter_spans(text),
        ),
    }
    draft = Reading(**fields)
    labels = {entity: lex.label(entity) for facet in draft.facets().values() for entity in facet if ":" in entity}
    text = interpretation(draft, labels, [*negation_cues, *prior_cues, *comparison_cues])
    return Reading(**fields, interpretation=text, labels=tuple(sorted(labels.items())))


_MUTATION_AFTER = re.compile(r"^(?:\s+|-)(?:mutations?|mutant|mutated)\b", re.I)


def _only_mutation(kg: KnowledgeGraph, text: str, mention: Mention) -> str | None:
    """The one alteration of kind mutation of a gene named "GENE mutation", when the graph has no generic one."""
    if not _MUTATION_AFTER.match(text[mention.end :]):
        return None
    records = [a for a in kg.corpus.alterations.values() if a.gene == mention.entity]
    if any(a.variant is None or (a.variant or "").lower() in ("mutation", "mutations") for a in records):
        return None
    mutations = [a.id for a in records if a.kind is AlterationKind.MUTATION]
    return mutations[0] if len(mutations) == 1 else None


def _study_of_arm(kg: KnowledgeGraph, arm: str) -> list[str]:
    return [s.id for s in kg.corpus.studies.values() if any(a.id == arm for a in getattr(s, "arms", ()))]


def _wildtype_genes(kg: KnowledgeGraph, alterations: Iterable[str]) -> list[tuple[str, str]]:
    """Wild-type alterations and their genes ("EGFR wild-type" is CIViC's EGFR Wildtype: EGFR read as unaltered)."""
    genes: list[tuple[str, str]] = []
    for alteration in alterations:
        record = kg.corpus.alterations.get(alteration)
        if record is not None and re.fullmatch(r"wild[- ]?type", (record.variant or "").strip(), re.I):
            genes.append((alteration, record.gene))
    return genes


def _therapies_named_in(kg: KnowledgeGraph, mechanism: str, mentions: Sequence[Mention]) -> list[str]:
    """Therapies a mechanism confers resistance to whose name is inside the span the mechanism was read from."""
    record = kg.corpus.resistance_mechanisms.get(mechanism)
    if record is None:
        return []
    spans = [name_key(m.text) for m in mentions if m.entity == mechanism]
    found: list[str] = []
    for target in record.confers_resistance_to:
        entity = kg.corpus.get(target)
        names = getattr(entity, "all_names", lambda: ())()
        if any(name_key(name) and name_key(name) in span for name in names for span in spans):
            found.append(target)
    return found


def _case_of(kg: KnowledgeGraph, mention: Mention) -> str:
    """A case event names its case."""
    if mention.node_type is NodeType.CASE_EVENT:
        for case in kg.corpus.table(NodeType.PATIENT_CASE).values():
            if isinstance(case, PatientCase) and any(
                isinstance(e, CaseEvent) and e.id == mention.entity for e in case.events
            ):
                return case.id
    return mention.entity


def _ignore(mention: Mention, reason: str) -> Ignored:
    return Ignored(
        mention.text, mention.start, mention.end, reason, mention.entity, mention.label, mention.node_type.value
    )
