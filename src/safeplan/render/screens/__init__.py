"""Terminal screens: they render the view models into blocks, and decide nothing.

One module a family of screens, as ``views/`` builds their view models: ``overview``
(``status``), ``tasks``, ``hazards`` (listings and tables), ``hazard_detail``
(``hazard show``), ``units``; what they share is in ``common``.

A screen is a :class:`~safeplan.render.grid.Block` (grids, fields, paragraphs) that
gives its lines for a width; ``cli/output.py`` writes them. Record text is never markup
and never acts on the terminal (control characters are shown escaped); it folds as
Chinese is typeset, and a listing whose columns cannot fit side by side stacks each
row instead of dropping or cutting a column. Works at 60 columns and up, with
NO_COLOR, and piped (no control codes, no folding unless COLUMNS is set).
"""
