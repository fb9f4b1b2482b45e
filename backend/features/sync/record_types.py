"""Which record types this server knows: the workflows' own, plus any named in FELT_EXTRA_RECORD_TYPES."""

from __future__ import annotations

import importlib

from litestar import Request

from sync.registry import REGISTRY, Registry

WORKFLOWS: tuple[str, ...] = (
    "backend.features.receipts.record_type",
    "backend.features.receipts.ocr_job",
    "backend.features.receipts.review",
    "backend.features.receipts.retention",
    "backend.features.receipts.payment",
    "backend.features.mileage.record_type",
    "backend.features.mileage.calculation",
)
"""Modules that register the workflows' record types on import (receipts, mileage, … as they land)."""


def load(extra: tuple[str, ...] = ()) -> Registry:
    for module in (*WORKFLOWS, *extra):
        importlib.import_module(module)
    return REGISTRY


def of(request: Request) -> Registry:
    """The app's registry, as loaded at start-up."""
    registry: Registry = request.app.state["record_types"]
    return registry
