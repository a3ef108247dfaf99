"""Documents into the plan's files, one package per kind of document: ``plantext`` (the plan
as issued, and a revised text) and ``ledger`` (an office's Excel ledger of hazards, with
``ledger.update`` bringing a registered hazard up to date from its row).

Each returns the files' new bytes; the command in ``cli/`` applies them as one edit.
"""
