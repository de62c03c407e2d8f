"""Curation: reading data files exactly, validating records, canonical form, and the validated-corpus cache.

Data flows one way: files (:mod:`~kg.curation.datafiles`) → records
(:mod:`~kg.curation.load`, checked by the models and :mod:`~kg.curation.validate`) →
the assembled corpus (:mod:`~kg.curation.assemble`: curated plus the CIViC
release, which :mod:`kg.civic` imports onto the curated corpus it is given,
cached on disk by :mod:`~kg.curation.cache`).
"""
