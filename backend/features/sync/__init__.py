"""The HTTP adapter of the sync engine (sync/): push, pull and blobs, guarded like every endpoint."""
