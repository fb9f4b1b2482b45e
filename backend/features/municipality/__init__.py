"""A municipality: the root of its own org tree, with its own settings and identity provider."""
