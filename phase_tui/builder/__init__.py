"""The builder phase: form maps (arrangement blueprints), their generator, versions and diffs.

Pure domain, no Textual. `form_map` holds the model every other module shares.
"""
