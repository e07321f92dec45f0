"""Reading the content: the model, loading YAML, validation (with scoring's checks, rules.py),
placeholders, the schema, scoring, and how figures and dates print (wording.py, over the one
rounding rule). Imports nothing from output/ or commands/ (tests/test_layout.py)."""
