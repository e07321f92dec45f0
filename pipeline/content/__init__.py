"""Reading the content: the model, loading YAML, validation, placeholders, the schema, scoring."""
