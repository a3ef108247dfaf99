"""Views: pure functions from the records and a day to the view models every output renders.

Selection, filtering and ordering live here, once: which late items a screen shows
and in which order, what a filter keeps. ``--json`` is ``model_dump(mode="json")`` of
these models, and the screens, reports and ledgers render the same objects.
"""
