"""Foundations every layer uses: the graph vocabulary, the exception tree, CURIEs, text helpers, bulk-build helpers.

Nothing here imports from another ``kg`` package, so every layer may import it.
"""
