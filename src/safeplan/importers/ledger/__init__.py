"""An existing ledger (台账) into the register: one hazard file per row, or nothing.

A township arrives with its ledger as an Excel/WPS workbook. The import reads it (the
sheet with hazards, its heading row under any title rows, merged cells, blank rows,
totals and signature rows), turns each row into a hazard record, checks each record as
``safeplan validate`` would, and returns what it would do per row and the files' bytes.
It writes nothing: the command wraps the files into one edit, applied all or nothing,
and only when no row has an error.

By stage: ``workbook`` reads the cells · ``headings`` and ``layout`` find the heading
row and what each column is · ``cells`` reads a cell · ``row`` maps a row into a record
· ``check`` checks the record as validate would · ``importer`` runs the stages
(:func:`~safeplan.importers.ledger.importer.import_ledger`) · ``common`` holds what the
update (``importers.ledger.update``) shares with them. This module imports nothing, so
that importing one stage does not import them all.
"""
