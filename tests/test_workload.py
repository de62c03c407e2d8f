"""The benchmark workloads: 1,000 distinct questions read off the graph (fixed seed), the wrk script, the reports.

The questions themselves are checked against the API in ``tests/test_fast_path.py``
(every one answers 200, byte for byte as FastAPI reads it); here: that they are
distinct, deterministic and read off the graph, that the ``wrk`` script sends
exactly them in turn, and that the CPU-share measurement and the before/after
section run on real (small) inputs.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

from benchmarks.before_after import before_after_section, load_baseline
from benchmarks.workload import SEED, distinct_questions, wrk_script


def test_distinct_questions_are_distinct_deterministic_and_from_the_graph(kg_full):
    questions = distinct_questions(kg_full)
    assert len(questions) == 1000 and len({q.path for q in questions}) == 1000
    assert [q.path for q in distinct_questions(kg_full, seed=SEED)] == [q.path for q in questions]
    assert [q.path for q in distinct_questions(kg_full, seed=SEED + 1)] != [q.path for q in questions]
    names = {"therapy", "alteration", "gene", "disease"}
    for question in questions:
        pairs = parse_qsl(urlsplit(question.path).query)
        assert pairs == list(question.parameters)  # the path says exactly the parameters
        for name, value in pairs:
            if name in names:  # every name is one of the graph's entities (its id, label or a synonym)
                assert kg_full.resolver.resolve(value), (name, value)


def test_a_small_graph_gives_fewer_questions_without_repeats(kg_curated):
    questions = distinct_questions(kg_curated, count=5000)
    assert 0 < len(questions) < 5000 and len({q.path for q in questions}) == len(questions)


def test_the_wrk_script_sends_every_path_in_turn():
    paths = ["/evidence?therapy=a", '/evidence?therapy=say%20"x"', "/evidence?therapy=back\\slash"]
    script = wrk_script(paths)
    for path in paths:
        assert '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '",' in script
    assert "next_path % count + 1" in script and 'wrk.format("GET", paths[next_path])' in script


def test_cpu_share_measures_both_endpoints():
    from benchmarks.cpu_share import measure_cpu_share

    result = measure_cpu_share(1, "curated", rounds=1)
    (row,) = result["rounds"]
    assert result["questions"] > 0 and row["evidence_ms"] > 0 and row["ping_ms"] > 0
    assert result["ping_over_evidence"][0] == row["ping_ms"] / row["evidence_ms"]


def test_before_after_section_renders_the_baseline():
    baseline = load_baseline()
    assert baseline is not None and baseline["http"]["servers"]
    lines = before_after_section(json.loads(json.dumps(baseline)), baseline)
    text = "\n".join(lines)
    assert "## Issue 18" in text and "1,000 distinct questions" in text and "of ping" in text
    assert before_after_section({"http": None}, baseline) == []


def test_a_later_http_run_merges_into_a_full_runs_results(tmp_path):
    from benchmarks.merge_http_run import main

    baseline = load_baseline()
    assert baseline is not None
    full = {**json.loads(json.dumps(baseline)), "http": None, "command": "python -m benchmarks", "elapsed_s": 1.0}
    results, run, share = tmp_path / "RESULTS.json", tmp_path / "http.json", tmp_path / "share.json"
    results.write_text(json.dumps(full), encoding="utf-8")
    run.write_text(json.dumps(baseline), encoding="utf-8")
    rounds = [{"evidence_ms": 0.5, "ping_ms": 0.1}]
    share.write_text(json.dumps({"scale": 1, "rounds": rounds, "ping_over_evidence": [0.2]}) + "\n", encoding="utf-8")
    main([str(results), str(run), "--cpu-share", str(share), str(share), "--note", "other load was present"])
    merged = json.loads(results.read_text(encoding="utf-8"))
    assert merged["http"]["servers"] == baseline["http"]["servers"]
    assert merged["http"]["measured_by"]["command"] == baseline["command"]
    assert any(row["target"].startswith("/evidence share of ping") for row in merged["targets"])
    text = results.with_suffix(".md").read_text(encoding="utf-8")
    assert f"This section was measured by `{baseline['command']}`" in text
    assert "| 1× | after | 0.500 | 0.100 | 20% |" in text and "- other load was present" in text
