"""Documents into the plan: the plan as issued (Chinese official text) and, on re-import, what
a revised text changes.

``phrases``: readers of one phrase (a deadline, units, a citation, a goal) · ``plan_text``:
the pure parser, text → :class:`~safeplan.importers.plan_text.ParsedPlan` with findings ·
``documents``: the parsed plan as the YAML files a plan repository holds · ``reimport``:
a revised text against the plan on disk, applied round-trip · ``scaffold``: the files
``safeplan init`` writes around the plan.
"""
