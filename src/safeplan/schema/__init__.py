"""JSON Schema of the plan's files, for editors (yaml-language-server) and check-jsonschema.

``export``: the schemas, from the pydantic models of ``safeplan.models`` with Chinese
titles, descriptions and examples (``texts``) · ``modeline``: the first line of a hazard
file that tells an editor where its schema is. Importing this package is cheap: the
schemas are built only by ``export``.
"""

from safeplan.schema.modeline import SCHEMA_DIR, SCHEMA_FILES, modeline

__all__ = ["SCHEMA_DIR", "SCHEMA_FILES", "modeline"]
