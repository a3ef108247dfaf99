"""safeplan: a township's workplace-safety action plan and hazard register as YAML files."""

__version__ = "0.1.0"
