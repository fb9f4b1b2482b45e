"""The platform: one app's workflows, combined once into what the shared mechanisms read.

Built from a list of `Workflow` values (`backend/workflows.py` names the app's; a test names its
own). It holds the record type registry, the hooks per record type, the job handlers and daily
jobs, the wage types, the payroll sources, the capability table and the home-screen areas. Nothing
here is module-level state: two apps with different workflows can live in one process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, TypeVar

from litestar import Request

from backend.auth.roles import CAPABILITIES, Principal, Role
from backend.features.workflow import BlobHook, DoorFn, Hook, Job, Payable, SummaryFn, WageType, Workflow
from sync.registry import Registry

T = TypeVar("T")


class HalfRegistered(ValueError):
    """A workflow's declaration does not hold together (e.g. a capability no role has)."""


@dataclass(frozen=True)
class Platform:
    workflows: tuple[Workflow, ...]
    registry: Registry
    hooks: Mapping[str, tuple[Hook, ...]]
    blob_hooks: tuple[BlobHook, ...]
    jobs: Mapping[str, Job]
    wage_types: Mapping[str, WageType]
    payables: Mapping[str, Payable]
    capabilities: Mapping[str, frozenset[Role]]
    areas: Mapping[str, str] = field(default_factory=dict)
    doors: Mapping[str, DoorFn] = field(default_factory=dict)
    inbox: Mapping[str, SummaryFn] = field(default_factory=dict)

    @property
    def daily(self) -> list[str]:
        return sorted(kind for kind, job in self.jobs.items() if job.daily)

    def controllers(self) -> list[Any]:
        return [c for w in self.workflows for c in w.controllers]

    def principal(self, principal: Principal) -> Principal:
        """The principal with this platform's capability table (the workflows' capabilities included)."""
        return replace(principal, capabilities=self.capabilities)


def _merge(w: Workflow, what: str, table: dict[str, T], items: Mapping[str, T]) -> None:
    for key, value in items.items():
        if key in table:
            raise HalfRegistered(f"{w.name}: {what} {key!r} is declared twice")
        table[key] = value


def build(workflows: Iterable[Workflow]) -> Platform:
    """Combine `workflows`; raises HalfRegistered when one does not hold together."""
    workflows = tuple(workflows)
    registry = Registry()
    hooks: dict[str, tuple[Hook, ...]] = {}
    jobs: dict[str, Job] = {}
    wage_types: dict[str, WageType] = {}
    payables: dict[str, Payable] = {}
    capabilities: dict[str, frozenset[Role]] = dict(CAPABILITIES)
    areas: dict[str, str] = {}
    doors: dict[str, DoorFn] = {}
    inbox: dict[str, SummaryFn] = {}
    names = [w.name for w in workflows]
    if len(set(names)) != len(names):
        raise HalfRegistered(f"a workflow is listed twice: {names}")
    for w in workflows:
        for record_type in w.record_types:
            if registry.get(record_type.name) is not None:
                raise HalfRegistered(f"{w.name}: record type {record_type.name!r} is declared twice")
            registry.register(record_type)
        _merge(w, "job", jobs, {j.kind: j for j in w.jobs})
        _merge(w, "wage type", wage_types, {t.key: t for t in w.wage_types})
        _merge(w, "capability", capabilities, dict(w.capabilities))
        _merge(w, "area", areas, dict(w.areas))
        _merge(w, "door", doors, dict(w.doors))
        _merge(w, "inbox line", inbox, dict(w.inbox))
        for type_name, type_hooks in w.hooks.items():
            hooks[type_name] = (*hooks.get(type_name, ()), *type_hooks)
        payables.update(w.payables)
    platform = Platform(
        workflows=workflows,
        registry=registry,
        hooks=MappingProxyType(hooks),
        blob_hooks=tuple(h for w in workflows for h in w.blob_hooks),
        jobs=MappingProxyType(jobs),
        wage_types=MappingProxyType(wage_types),
        payables=MappingProxyType(payables),
        capabilities=MappingProxyType(capabilities),
        areas=MappingProxyType(areas),
        doors=MappingProxyType(doors),
        inbox=MappingProxyType(inbox),
    )
    check(platform)
    return platform


def check(platform: Platform) -> None:
    """Fail at start-up, not silently later, when a workflow is half-registered."""
    problems = []
    for name in platform.registry.names():
        record_type = platform.registry.get(name)
        assert record_type is not None
        for capability in sorted(record_type.capabilities()):
            if not platform.capabilities.get(capability):
                problems.append(f"record type {name!r} needs capability {capability!r}, which no role has")
    for name in [*platform.hooks, *platform.payables, *platform.inbox]:
        if platform.registry.get(name) is None:
            problems.append(f"hooks, payroll or an inbox line declared for unknown record type {name!r}")
    for name, payable in platform.payables.items():
        record_type = platform.registry.get(name)
        states = (
            {t.target for t in record_type.transitions} | {record_type.initial_state}
            if record_type
            else set()
        )
        if record_type and not payable.states <= states:
            problems.append(
                f"record type {name!r} pays in states it never reaches: {sorted(payable.states - states)}"
            )
    for name in platform.doors:
        door_type = platform.registry.get(name)
        if door_type is None or not door_type.door:
            problems.append(f"a door for {name!r}, which is not a record type declared door=True")
    for area, capability in platform.areas.items():
        if not platform.capabilities.get(capability):
            problems.append(f"area {area!r} needs capability {capability!r}, which no role has")
    if problems:
        raise HalfRegistered("; ".join(problems))


def of(request: Request) -> Platform:
    """The app's platform, as built at start-up."""
    platform: Platform = request.app.state["platform"]
    return platform


def registry_of(request: Request) -> Registry:
    return of(request).registry
