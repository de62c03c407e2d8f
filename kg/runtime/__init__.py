"""Runtime: one loaded knowledge graph (records, graph, hierarchy, names, index) as every consumer receives it."""
