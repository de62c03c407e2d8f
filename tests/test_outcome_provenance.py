"""Machine-extracted CIViC outcomes say so, with extractor, version and span, in the API, the RDF and the view.

The real knowledge graph (curated data and the bundled CIViC release), the
real app through TestClient and the real RDF triple writer parsed by
rdflib. A curated outcome of the seed paper carries no machine extraction.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.core.vocab import EKG_VOCAB
from kg.rdf.triples import TripleBuilder
from kg.reader.figures import EXTRACTOR, EXTRACTOR_VERSION
from kg.runtime.knowledge_graph import KnowledgeGraph

#: "median PFS was 7.4 months in the regorafenib group and 1.7 months in the placebo group (HR= .22, P <.001)"
CIVIC_ITEM = "ev:civic-4628"


@pytest.fixture(scope="module")
def client(kg_full: KnowledgeGraph) -> Iterator[TestClient]:
    with TestClient(create_app(kg_full, settings=ApiSettings(sparql_enabled=False))) as test_client:
        yield test_client


def test_the_view_details_of_a_civic_outcome_name_extractor_version_span_and_arm(
    client: TestClient, kg_full: KnowledgeGraph
) -> None:
    response = client.get("/graph/details", params={"id": "outcome:civic-4628-2"})
    assert response.status_code == 200, response.text
    outcome = response.json()["outcome"]
    assert outcome["measure"] == "pfs_median"
    assert outcome["arm_as_written"] == "placebo group"
    assert outcome["machine_extracted"] is True
    extraction = outcome["extraction"]
    assert extraction["method"] == "machine_extracted"
    assert (extraction["extractor"], extraction["extractor_version"]) == (EXTRACTOR, EXTRACTOR_VERSION)
    statement = kg_full.corpus.evidence[CIVIC_ITEM].statement
    assert statement[extraction["span_start"] : extraction["span_end"]] == extraction["span_text"]
    assert extraction["span_text"] == "1.7 months in the placebo group"


def test_the_evidence_answer_tells_civic_outcomes_from_curated_ones(client: TestClient) -> None:
    response = client.get("/evidence", params={"therapy": "regorafenib", "limit": 100})
    assert response.status_code == 200, response.text
    machine = [
        outcome
        for result in response.json()["results"]
        for outcome in result["evidence"]["outcomes"]
        if outcome["machine_extracted"]
    ]
    assert machine and all(outcome["extraction"]["method"] == "machine_extracted" for outcome in machine)
    seed = client.get("/evidence", params={"therapy": "pyrotinib"}).json()["results"]
    curated = [
        outcome for result in seed for outcome in result["evidence"]["outcomes"] if not outcome["machine_extracted"]
    ]
    assert curated and all(
        outcome.get("extraction") is None or outcome["extraction"]["method"] == "curated" for outcome in curated
    )


def test_the_rdf_of_a_civic_outcome_carries_its_extraction(kg_full: KnowledgeGraph) -> None:
    lines: list[str] = []
    TripleBuilder().record_statements(kg_full.corpus.evidence[CIVIC_ITEM], lines)
    graph = rdflib.Graph().parse(data="".join(lines), format="nt")
    rows = list(
        graph.query(
            """SELECT ?value ?arm ?version ?text WHERE {
                 ?item ekg:hasOutcome ?o . ?o ekg:measure "pfs_median" ; ekg:value ?value ; ekg:armAsWritten ?arm ;
                   ekg:extraction ?x . ?x a ekg:OutcomeExtraction ; ekg:method "machine_extracted" ;
                   ekg:extractorVersion ?version ; ekg:spanText ?text }""",
            initNs={"ekg": rdflib.Namespace(EKG_VOCAB)},
        )
    )
    found = {(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows}  # type: ignore[index,misc]
    assert found == {
        ("7.4", "regorafenib group", EXTRACTOR_VERSION, "median PFS was 7.4 months in the regorafenib group"),
        ("1.7", "placebo group", EXTRACTOR_VERSION, "1.7 months in the placebo group"),
    }
