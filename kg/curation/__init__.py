"""Curation: reading data files exactly, validating records, canonical form, and the validated-corpus cache.

Data flows one way: files (:mod:`~kg.curation.datafiles`) → records
(:mod:`~kg.curation.load`, checked by :mod:`~kg.curation.validate`) → the
assembled corpus (curated plus imported releases, cached on disk).
"""
