"""One package per area of Felt; each has a service (rules + queries) and a controller (HTTP)."""
