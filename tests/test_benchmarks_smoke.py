"""A tiny run of every benchmark measurement, so the harness cannot rot (no timing is asserted).

Runs on the curated corpus (seed paper and registries) at 2× (so replication
is exercised), one iteration of everything. Checks that each measurement
runs, returns well-formed results, that every SPARQL engine returns exactly
the in-process engine's rows, and that the report renders.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import shutil
from pathlib import Path

import pytest

from benchmarks.config import smoke
from benchmarks.report import evaluate_targets, render_markdown

SCALE = 2
#: A small CIViC release (8 evidence rows) in the bundled release's format: the import harness is what is checked.
CIVIC_FIXTURE = Path(__file__).parent / "fixtures" / "civic"
SHAPES = {"headline", "neighbourhood", "drug_diseases", "ask"}
# The tests sharing the module's measurements stay on one xdist worker (computed once); the HTTP
# and cold-start test, which shares nothing, can run on the other one meanwhile.
shared = pytest.mark.xdist_group("benchmarks-smoke")


def _summary_ok(summary: dict) -> bool:
    keys = {"n", "median", "p10", "p90", "p99", "min", "max"}
    return keys <= summary.keys() and summary["n"] >= 1 and all(math.isfinite(summary[k]) for k in keys - {"n"})


@pytest.fixture(scope="module")
def config():
    return smoke()


@pytest.fixture(scope="module")
def measured(config):
    from benchmarks.scale import run_scale

    return run_scale(SCALE, config, with_exports=True)


@pytest.fixture(scope="module")
def scale_result(measured):
    return {key: value for key, value in measured.items() if key != "exports"}


@pytest.fixture(scope="module")
def exports_result(measured):
    return measured["exports"]


@pytest.fixture(scope="module")
def civic_result(config):
    from benchmarks.civic_import import measure_civic_import

    return measure_civic_import(dataclasses.replace(config, civic_release=str(CIVIC_FIXTURE)))


@pytest.fixture(scope="module")
def views_result(config):
    from benchmarks.views import measure_views

    return measure_views(config)


def test_synthetic_corpus_is_valid():
    """Replicas pass the models (a re-validated sample) and every cross-record rule of kg.curation.validate."""
    from benchmarks.synth import base_corpus, synthetic_corpus
    from kg.curation.load import _index_ids
    from kg.curation.validate import Located, ValidationContext, validate_records

    base = base_corpus("curated")
    corpus = synthetic_corpus(3, base)
    assert corpus.counts()["evidence"] == 3 * base.counts()["evidence"]
    assert len(corpus.drugs) == len(base.drugs)  # the vocabulary is shared, not copied
    for record in itertools.islice(corpus, 0, None, 7):
        type(record).model_validate(record.model_dump())
    # model_copy skips the records' own rules (kg.model.rules); replicas vary their numbers, so every replica
    # with outcomes is rebuilt through its model: each CI must still contain its value, each k stay ≤ n.
    for item in corpus.evidence.values():
        if item.outcomes:
            type(item).model_validate(item.model_dump())
    located = [Located(record, "synthetic", record.id) for record in corpus]
    by_id, id_errors = _index_ids(located)
    assert id_errors == []
    assert validate_records(located, ValidationContext(by_id=by_id, texts=corpus.texts, text_files={})) == []
    varied = [
        item
        for item in base.evidence.values()
        if item.outcomes and corpus.evidence[f"{item.id}-r2"].outcomes[0].numbers() != item.outcomes[0].numbers()
    ]
    assert varied, "replicas vary their numbers"


@shared
def test_scale_measurement(scale_result):
    """Build (networkx, pyoxigraph, rdflib) and the four shapes on every engine, with identical rows."""
    result = scale_result
    assert result["scale"] == SCALE
    assert result["counts"]["evidence"] > 0
    built = result["networkx"]
    assert _summary_ok(built["wall_s"]) and _summary_ok(built["cpu_s"])
    assert built["peak_rss_mib"] > 0 and built["nodes"] > 0 and built["edges"] > 0
    assert result["ntriples"]["triples"] == result["oxigraph"]["triples"] == result["rdflib"]["triples"]
    assert _summary_ok(result["oxigraph"]["wall_s"]) and _summary_ok(result["rdflib"]["wall_s"])
    assert set(result["queries"]) == SHAPES
    for name, shape in result["queries"].items():
        rows = shape["rows"]
        assert rows["oxigraph_agrees"] and rows["rdflib_agrees"], (name, rows)
        assert rows["oxigraph_rows"] == rows["rdflib_rows"] == rows["engine_rows"], (name, rows)
        if "engine_total" in rows:
            assert rows["engine_total"] == rows["oxigraph_total"] == rows["rdflib_total"], (name, rows)
        for engine in ("engine", "oxigraph", "rdflib"):
            assert _summary_ok(shape["latency_ms"][engine]), (name, engine)
        assert shape["ratios"]["oxigraph_p50_over_engine_p50"] > 0
    assert result["queries"]["headline"]["rows"]["engine_rows"] == 20
    assert _summary_ok(result["queries"]["headline"]["latency_ms"]["engine_cold_caches"])


@shared
def test_exports_and_views(exports_result, views_result):
    """Every export format is timed; RDF formats have triples/s, next to rdflib's and pyoxigraph's writers."""
    exports = exports_result
    assert exports["scale"] == SCALE and exports["triples"] > 0
    for fmt in ("turtle", "nt", "jsonld", "xml"):
        assert exports["ours"][fmt]["triples_per_s"] > 0
        assert exports["rdflib"][fmt]["triples_per_s"] > 0
        assert exports["ours_over_rdflib"][fmt] > 0
    assert {"turtle", "nt"} <= exports["pyoxigraph"].keys()
    if "skipped" not in views_result:
        (row,) = [r for r in views_result["rows"] if r["mode"] == "standalone"]
        assert row["nodes"] > 0 and row["bytes"] > 0 and row["median_s"] >= 0


@shared
def test_civic_import_measurement(civic_result):
    """The CIViC import is timed next to a plain csv read of the same files."""
    if "skipped" in civic_result:
        pytest.skip(civic_result["skipped"])
    fixture_rows = len((CIVIC_FIXTURE / "01-Aug-2024-ClinicalEvidenceSummaries.tsv").read_text().splitlines()) - 1
    assert civic_result["evidence_items"] == civic_result["statements"] == fixture_rows
    assert civic_result["outcomes_extracted"] > 0 and _summary_ok(civic_result["extract_s"])
    assert civic_result["rows"] == sum(civic_result["rows_read"].values())
    assert civic_result["merges"] > 0 and civic_result["import_over_csv"] > 0
    assert _summary_ok(civic_result["import_s"]) and _summary_ok(civic_result["csv_read_s"])


@pytest.fixture(scope="module")
def report_results(scale_result, exports_result, views_result, civic_result, config):
    from benchmarks.machine import describe_machine

    results = {
        "command": "smoke",
        "elapsed_s": 1.0,
        "machine": describe_machine(),
        "config": config.as_dict(),
        "scales": [scale_result],
        "exports": [exports_result],
        "views": views_result,
        "civic_import": civic_result,
        "errors": {},
    }
    results["targets"] = evaluate_targets(results)
    return results


@shared
def test_report_renders(report_results):
    """The Markdown report and the target table come out of real (tiny) results."""
    assert {t["verdict"].split()[0] for t in report_results["targets"]} <= {"met", "missed", "missed:"}
    text = render_markdown(report_results)
    assert "## Targets" in text and f"### {SCALE}×" in text and "✗ DIFFER" not in text
    assert "skipped" in report_results["civic_import"] or "## 6. CIViC import" in text


@shared
def test_report_renders_again_from_its_json(report_results, tmp_path):
    """`python -m benchmarks.report RESULTS.json` rewrites the Markdown from stored results alone."""
    import json

    from benchmarks.cli import write_results
    from benchmarks.report import main

    stored = json.loads(json.dumps(report_results, default=str))
    markdown, data = write_results(stored, tmp_path / "RESULTS.md")
    first = markdown.read_text(encoding="utf-8")
    markdown.unlink()
    main([str(data)])
    assert markdown.read_text(encoding="utf-8") == first


@pytest.mark.server
@pytest.mark.xdist_group("benchmarks-smoke-server")
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
def test_http_and_cold_start(config):
    """A real uvicorn under wrk (ping, /evidence, /ask), and `kg serve` started cold and warm."""
    from benchmarks.coldstart import measure_cold_start
    from benchmarks.http_load import measure_http

    http = measure_http(config)
    (server,) = http["servers"]
    distinct = server["endpoints"].pop("evidence_distinct")  # the distinct questions: every one answered 200
    assert distinct["status"] == {"200": http["distinct_questions"]} and distinct["non_2xx"] == 0
    assert http["distinct_questions"] >= 100 and distinct["requests_per_s"]["median"] > 0
    server["endpoints"]["evidence_distinct"] = distinct
    for name, endpoint in server["endpoints"].items():
        if name == "evidence_distinct":
            continue
        assert endpoint["status"] == 200 and endpoint["non_2xx"] == 0, name
        assert endpoint["requests_per_s"]["median"] > 0 and endpoint["p99_ms"]["median"] > 0, name
    assert server["endpoints"]["evidence"]["x_cache_second_request"] == "hit"
    assert server["endpoints"]["evidence"]["share_of_ping"]["median"] > 0
    (cost,) = http["request_cost"]
    assert cost["response_bytes"] == server["endpoints"]["evidence"]["response_bytes"]
    assert cost["median_ms"]["evidence"] > cost["median_ms"]["engine"] > 0, cost
    assert cost["distinct"]["questions"] == http["distinct_questions"] and cost["headline_cold_ms"]["median"] > 0
    cold = measure_cold_start(config)
    assert _summary_ok(cold["cold_cache_s"]) and _summary_ok(cold["warm_cache_s"])
    text = render_markdown(
        {
            "command": "smoke",
            "elapsed_s": 1.0,
            "machine": {
                "date": "-",
                "cpu": "-",
                "cores": 2,
                "memory_gib": 1,
                "os": "-",
                "load_average_at_start": [],
                "python": "-",
                "libraries": {},
                "commit": "-",
            },
            "http": http,
            "cold_start": cold,
            "targets": evaluate_targets({"http": http, "cold_start": cold}),
        }
    )
    assert "/evidence share of ping" in text and "Where an uncached /evidence request's time goes" in text
