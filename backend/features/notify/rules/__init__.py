"""Plain rules for notifications (no framework, no database): the VAPID subject, the payload size, the
retry schedule and the reminder days."""
