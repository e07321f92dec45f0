"""The commands built on the recipe (build.py): diff, new-year, new-dept, import, preview, summary."""
