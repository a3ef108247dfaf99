"""The 判定标准 catalog: the documents a major hazard's basis cites, and reading citations.

``cite`` reads a citation as officers type it; ``catalog`` holds the shipped documents
(``catalog.yaml``, package data) and a plan's own, and resolves a citation against them.
"""

#: Where a plan keeps its own documents (地方标准), beside plan.yaml. Here, not in
#: ``catalog``, so that reading a plan without it imports no catalog.
LOCAL_FILE = "plan/criteria.yaml"
