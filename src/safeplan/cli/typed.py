"""What is typed on the command line, read (the rules live in ``edit/typed``, which the web
forms share)."""

from safeplan.edit.typed import check_text, parse_date

__all__ = ["check_text", "parse_date"]
