"""Materialised paths for the org tree. Plain Python, tested without a database."""

from __future__ import annotations

from collections.abc import Mapping


def paths_for(parents: Mapping[int, int | None]) -> dict[int, str]:
    """Map unit id → "root/…/id/" given each unit's parent. Raises ValueError on a cycle or unknown parent."""
    paths: dict[int, str] = {}

    def resolve(unit_id: int, seen: tuple[int, ...]) -> str:
        if unit_id in paths:
            return paths[unit_id]
        if unit_id in seen:
            raise ValueError(f"cycle through unit {unit_id}")
        parent = parents[unit_id]
        if parent is not None and parent not in parents:
            raise ValueError(f"unit {unit_id} has unknown parent {parent}")
        prefix = "" if parent is None else resolve(parent, (*seen, unit_id))
        paths[unit_id] = f"{prefix}{unit_id}/"
        return paths[unit_id]

    for unit_id in parents:
        resolve(unit_id, ())
    return paths
