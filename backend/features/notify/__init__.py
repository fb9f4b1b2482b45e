"""Notifications (web push) as a shared feature: any workflow reaches it through the effects its hooks
return (`backend.features.notify.emit`); the sending happens in background jobs, never in a request."""
