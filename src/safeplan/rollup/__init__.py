"""A county's roll-up: many towns' plan repositories, read as each town reads its own.

``manifest``: county.yaml · ``sync``: the towns' read-only clones (``rollup fetch``) ·
``load``: each town through the town's own loader (``towns``: each town's Repository and
commit, for any output that needs the towns' data, an export too) · ``picture``: the
towns' view models summed into the county's.
"""
