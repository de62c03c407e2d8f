"""The one reader: questions (``/ask``) and papers (``kg propose``, the CIViC import) read with the same names and grammar.

* :mod:`~kg.reader.measures` — the words for outcome measures ("mPFS", "5-year OS", "hazard ratio").
"""
