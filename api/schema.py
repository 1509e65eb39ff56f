"""OpenAPI generation hooks."""


def only_api_paths(endpoints, **kwargs):
    """Describe our API only: Wagtail's admin API lives under /cms/ and is not part of the contract."""
    return [e for e in endpoints if e[0].startswith("/api/")]
