"""Walk every URL pattern of the project: names (with namespaces), parameters and views."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def walk(
    patterns: list[Any] | None = None, namespace: str = "", params: frozenset[str] = frozenset()
) -> Iterator[tuple[str, frozenset[str], Callable[..., Any]]]:
    """Yield (namespaced name, parameter names, view callable) for every named route."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        own = frozenset(getattr(entry.pattern, "converters", {}) or {})
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, ns, params | own | _regex_groups(entry))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", params | own | _regex_groups(entry), entry.callback


def _regex_groups(entry: Any) -> frozenset[str]:
    regex = getattr(entry.pattern, "regex", None)
    return frozenset(regex.groupindex) if regex is not None else frozenset()


@cache
def url_params() -> dict[str, frozenset[str]]:
    return {name: params for name, params, _view in walk()}
