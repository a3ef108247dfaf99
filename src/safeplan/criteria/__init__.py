"""The 判定标准 catalog: the documents a major hazard's basis cites, and reading citations.

``cite`` reads a citation as officers type it; ``catalog`` holds the shipped documents
(``catalog.yaml``, package data) and a plan's own, and resolves a citation against them.
"""
