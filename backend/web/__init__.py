"""The web surface shared by every route: security headers, proxies, rate limits, edge validation, CSV cells."""
