"""The municipality administrator's tools: HR import, the audit log and settings."""
