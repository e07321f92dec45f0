"""make import: a department's own material → a draft content file.

The flow inside: ``wordread`` reads a Word file (.doc/.wps/.odt through LibreOffice) into
``types.Block``s — paragraphs and tables — in body order → ``sections`` cuts the blocks into the
report's parts by their headings → ``parse`` reads each part's sentences and ``figures`` its tables
(Table 1, the attached 自评表, the indicators) into a ``types.Draft`` whose keys are spelt by
``keys`` → ``command`` writes the draft YAML, every paragraph not placed kept as a comment beside
its likely key, checks and scores it, and reports each printed figure that differs from the
computed one. Every module imports ``types`` and ``keys``; nothing imports ``command``.
"""
