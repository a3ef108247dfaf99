"""``safeplan serve``: the register in a browser, on the officer's own PC.

A local web application over the same files and the same core as the command line:
pages render the CLI's view models and screens (``blocks``), every form builds the
same call to ``safeplan.edit`` (``forms``), and a save goes through the same lock,
journal, validation and commit subjects. ``security`` keeps it to the one browser that
opened it (loopback, a token, CSRF), ``evidence`` takes uploaded photos and scans.

Only ``cli/serve.py`` imports this package, lazily: no other command loads Starlette.
"""
