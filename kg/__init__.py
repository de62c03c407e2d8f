"""evidence-kg: a literature-evidence knowledge graph for precision oncology."""

__version__ = "0.1.0"
