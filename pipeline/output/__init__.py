"""Writing the outputs: the wording, the template and its sandbox, form, workbook, PDF, fonts, saved files."""
