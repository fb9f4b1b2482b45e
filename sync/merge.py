"""Field-by-field three-way merge of a draft: different fields merge, the same field conflicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MISSING = object()


def merge_fields(
    server: Mapping[str, Any], changes: Mapping[str, Any], base: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Apply `changes` made from `base` onto `server`; return the merged fields and the conflicting names.

    A field takes the new value when the server still holds the value the client started from (or
    the client had no server copy of it); when the server already holds the new value nothing
    changes; otherwise someone else changed it meanwhile: a conflict, and the server's value stays.
    """
    merged = dict(server)
    conflicts = []
    for name, new in changes.items():
        current = server.get(name, _MISSING)
        started_from = base.get(name, _MISSING)
        if current == new:
            continue
        if started_from is _MISSING or current is _MISSING or current == started_from:
            merged[name] = new
        else:
            conflicts.append(name)
    return merged, sorted(conflicts)
