"""Rules beyond what the schemas say: within a record, and across the plan's files.

Each rule returns Findings at key paths; the reader (``safeplan.repo``) turns them
into located Problems, since the line lookup needs the file's text.
"""
