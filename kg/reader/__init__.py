"""The one reader: questions (``/ask``) and papers (``kg propose``, the CIViC import) read with the same names and grammar.

* :mod:`~kg.reader.measures` — the words for outcome measures ("mPFS", "5-year OS", "hazard ratio").
* :mod:`~kg.reader.names` — entity recognition in text (drugs, genes, alterations, diseases).
* the results grammar: :mod:`~kg.reader.tokens` (numbers with their exact text), :mod:`~kg.reader.numbers`
  (quantities, ranges, CIs, p-values), :mod:`~kg.reader.values` (a value and its attachments),
  :mod:`~kg.reader.anchors` (measure words on tokens), :mod:`~kg.reader.frames` and :mod:`~kg.reader.preceding`
  (values after and before their measure; :mod:`~kg.reader.pairing`, how a frame's values pair with its measures), :mod:`~kg.reader.shares`, :mod:`~kg.reader.counts` (with :mod:`~kg.reader.findings`, the verbs that make a count a finding),
  :mod:`~kg.reader.durations` (figures no measure word names), :mod:`~kg.reader.results` (the entry point,
  :func:`~kg.reader.results.extract_figures`), :mod:`~kg.reader.figures` (what it returns);
* papers: :mod:`~kg.reader.sentences` (safe, streamed reading; pysbd), :mod:`~kg.reader.studies` (registry ids,
  design words, sample size), :mod:`~kg.reader.papers` (proposals), :mod:`~kg.reader.draft` (``--yaml``);
* :mod:`~kg.reader.evaluate` — the scorer behind ``kg eval``; :mod:`~kg.reader.cli` — the commands.
"""
