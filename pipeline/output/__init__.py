"""Writing the outputs: the wording, the template and its sandbox, form, workbook, PDF, fonts,
saved files. Imports content/, never commands/ (tests/test_layout.py)."""
