"""Felt's server: the Litestar app, the domain and its persistence."""
