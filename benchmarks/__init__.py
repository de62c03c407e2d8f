"""Benchmarks of speed, memory and scale, each next to the stack's own baseline.

``python -m benchmarks --scales 1 10 [100] [--quick]`` (``make bench`` /
``make bench-full``) writes ``benchmarks/RESULTS.md`` and ``RESULTS.json``.
One concept per module:

* :mod:`~benchmarks.synth` — the one deterministic synthetic corpus (1×, 10×, 100×; graphs of a given size);
* :mod:`~benchmarks.workload` — what the HTTP benchmarks ask;
* :mod:`~benchmarks.scale` — build time and memory (networkx, pyoxigraph, rdflib) per scale;
* :mod:`~benchmarks.shapes`, :mod:`~benchmarks.sparql_text`, :mod:`~benchmarks.latency` —
  four question shapes in-process and as SPARQL, rows checked, latency;
* :mod:`~benchmarks.coldstart` — ``kg serve`` start to first answer;
* :mod:`~benchmarks.server`, :mod:`~benchmarks.http_load` — HTTP under load next to pre-serialized bytes;
* :mod:`~benchmarks.exports` — export throughput next to rdflib's and pyoxigraph's serializers;
* :mod:`~benchmarks.views` — graph-view generation at 200, 2,000, 20,000 nodes;
* :mod:`~benchmarks.civic_import` — `kg import civic` next to a plain csv read of the same files;
* :mod:`~benchmarks.stats`, :mod:`~benchmarks.isolate`, :mod:`~benchmarks.machine`,
  :mod:`~benchmarks.config`, :mod:`~benchmarks.targets`, :mod:`~benchmarks.report`, :mod:`~benchmarks.cli` — the harness.
"""
