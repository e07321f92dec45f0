"""The bureau's review (审核): findings for every department, computed from the content.

    perfreport audit --year 2022 [--dept …]      (make audit YEAR=2022 [DEPT=…])

The flow, one module a step:

    gather   every department through the recipe's check (load → validate → score), on every
             core, with its previous year's file where one exists and is valid
    rules    pure functions over those models → ``Hit`` (what, where in the content, figures);
             findings never change a score
    gather   each hit placed at its file's line → ``Finding`` (department, rule, severity
             需说明/建议/提示, figures, file, line)
    sheet    build/<year>/审核意见.xlsx: one row per finding, counts per department, the rules
    letter   build/<year>/<dept>-审核意见.docx: the bureau's letter to each department with
             findings, official format, 落款 from content/district.yaml when it exists
    command  the CLI's ``run``: all outputs written at once or none

``findings`` holds the data types every other module imports (the summary's finding-count column
and the preview read them too); nothing here imports the summary or the preview.
"""
