"""Shift planning (vagtplan): shift types per unit, a published plan of shifts per person, the
working-time rules checked on every change (backend.features.worktime)."""
