"""make summary: every department's result of one year in 汇总.xlsx and 汇总.docx.

The flow inside, one way only: ``command`` runs the recipe for every department at once
(``batch.build_all``, kind "figures": the model and scores, nothing rendered) and hands each
department's model and scores to ``figures``, which holds the summary's data types (``Line``,
``Department``, ``District``) and derives them; the writers read those types and nothing else:
``sheet`` writes 汇总.xlsx, ``chart`` draws the picture, ``doc`` writes 汇总.docx with it.
``command`` writes both files or neither. The writers import ``figures``; ``figures`` imports no
writer and not ``command``.
"""
