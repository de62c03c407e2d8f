"""Presentation: how records read to a person (labels, outcome lines, terminal reports) and which media type to answer in."""
