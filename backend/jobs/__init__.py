"""Durable background jobs in the database itself, shared by every workflow (OCR, reminders, retention)."""
