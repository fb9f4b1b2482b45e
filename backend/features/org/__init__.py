"""The municipality's org tree and its people."""
