"""evidence-kg's HTTP API (FastAPI): evidence questions, entities, sources, RDF, SPARQL and the graph view."""
