"""The plan as issued (Chinese official text) into the plan's files and, on re-import, what a
revised text changes.

``words``, ``deadlines``, ``units``, ``phrases``: readers of one phrase (a numeral, a
deadline, units, a citation, a goal) · ``lines``, ``head``, ``tasks``, ``plan_text``: the
pure parser, text → :class:`~safeplan.importers.plantext.parsed.ParsedPlan` with findings ·
``documents``: the parsed plan as the YAML files a plan repository holds · ``reimport``: a
revised text against the plan on disk, applied round-trip · ``scaffold``: the files
``safeplan init`` writes around the plan · ``start``: a new repository from the text.
"""
