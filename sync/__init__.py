"""Felt's offline sync engine: protocol types, record-type registry, merge rules and the server engine.

Free of the web framework; the HTTP adapter lives in backend/features/sync/. See docs/sync.md.
"""
