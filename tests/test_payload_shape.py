"""One record shape: a field added to a record model reaches the API answer and its documented type, no other edit.

The fixture defines record models with new fields (a literal, a number, a
reference) as subclasses of the real ones, builds a real knowledge graph
from the curated corpus with one item replaced by such a record, and asks
the real app. Nothing in ``kg.query`` or ``api`` is told about the fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, TypeAdapter

from api.app import create_app
from api.settings import ApiSettings
from kg.core.vocab import NodeType, Predicate
from kg.model import Corpus, EvidenceItem, Outcome, Population, Source, Study
from kg.model.base import Quote, Ref, Xref
from kg.model.evidence import AdverseEventOccurrence
from kg.model.studies import Arm
from kg.query.payload import payload_type, record_payload, view_of
from kg.runtime.knowledge_graph import KnowledgeGraph

ITEM = "ev:chictr-orr"


class TimedOutcome(Outcome):
    """An outcome with a new number."""

    median_follow_up: Decimal | None = Field(default=None, description="Median follow-up, in months.")


class RegionalEvidence(EvidenceItem):
    """An evidence item with new fields of each kind."""

    enrolment_region: str | None = Field(default=None, description="Where the patients were enrolled.")
    comparator_drug: Annotated[str, Ref(NodeType.DRUG, predicate=Predicate.COMPARED_WITH)] | None = Field(
        default=None, description="The drug the claim is compared against."
    )
    outcomes: tuple[TimedOutcome, ...] = Field(default=(), description="Measured results supporting the claim.")


@pytest.fixture(scope="module")
def extended_kg(curated_corpus: Corpus) -> KnowledgeGraph:
    original = curated_corpus.evidence[ITEM]
    fields = original.model_dump()
    fields["outcomes"] = [{**outcome, "median_follow_up": Decimal("13.50")} for outcome in fields["outcomes"]]
    extended = RegionalEvidence.model_validate(
        {**fields, "enrolment_region": "mainland China", "comparator_drug": "drug:trastuzumab"}
    )
    records = [extended if record.id == ITEM else record for record in curated_corpus]
    corpus = Corpus.from_records(records, version="test-extended")
    corpus.texts.update(curated_corpus.texts)
    return KnowledgeGraph.from_corpus(corpus)


@pytest.fixture(scope="module")
def client(extended_kg: KnowledgeGraph) -> Iterator[TestClient]:
    with TestClient(create_app(extended_kg, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def _item(client: TestClient) -> dict[str, Any]:
    body = client.get("/evidence", params={"therapy": "pyrotinib", "limit": 100, "summary": "false"}).json()
    return next(result["evidence"] for result in body["results"] if result["id"] == ITEM)


def test_new_fields_reach_the_answer(client: TestClient) -> None:
    evidence = _item(client)
    assert evidence["enrolment_region"] == "mainland China"
    assert evidence["comparator_drug"] == {"id": "drug:trastuzumab", "label": "trastuzumab", "type": "drug"}
    outcome = evidence["outcomes"][0]
    assert outcome["median_follow_up"] == 13.5  # a JSON number ...
    assert outcome["published"]["value"] == "22.2"  # ... and the published texts are the model's own (numbers())


def test_new_fields_are_documented_with_their_descriptions(client: TestClient) -> None:
    documented = TypeAdapter(payload_type(RegionalEvidence)).json_schema()
    properties = documented["properties"]
    assert properties["enrolment_region"]["description"] == "Where the patients were enrolled."
    assert properties["comparator_drug"]["description"] == "The drug the claim is compared against."
    assert {"enrolment_region", "comparator_drug"} <= set(documented["required"])
    outcome = documented["$defs"]["TimedOutcomePayload"]["properties"]["median_follow_up"]
    assert outcome["description"] == "Median follow-up, in months."
    TypeAdapter(payload_type(RegionalEvidence)).validate_python(_item(client))


def test_the_documented_type_refuses_an_answer_without_the_new_field(client: TestClient) -> None:
    evidence = {key: value for key, value in _item(client).items() if key != "enrolment_region"}
    with pytest.raises(ValueError, match="enrolment_region"):
        TypeAdapter(payload_type(RegionalEvidence)).validate_python(evidence)


SHOWN = [EvidenceItem, Outcome, AdverseEventOccurrence, Quote, Xref, Source, Study, Arm, Population]


@pytest.mark.parametrize("model", SHOWN, ids=lambda model: model.__name__)
def test_every_field_is_shown_or_hidden_for_a_stated_reason(model: type[BaseModel]) -> None:
    view = view_of(model)
    documented = TypeAdapter(payload_type(model)).json_schema()["properties"]
    for name in model.model_fields:
        if name in view.hidden:
            assert len(view.hidden[name]) > 20, f"{model.__name__}.{name}: say why it is hidden"
            assert name not in documented
        else:
            assert view.renamed.get(name, name) in documented, f"{model.__name__}.{name} is not in the payload"


def test_a_payload_follows_the_model_order_with_computed_keys_in_place(extended_kg: KnowledgeGraph) -> None:
    outcome = extended_kg.corpus.evidence[ITEM].outcomes[0]
    keys = list(record_payload(extended_kg, outcome))
    assert keys[:4] == ["measure", "measure_label", "text", "value"]
    assert keys[-1] == "published"
