"""The facility workflow's rules as plain modules (no framework, no database), unit-tested alone."""
