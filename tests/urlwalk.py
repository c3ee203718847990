"""Walk every URL pattern of the project, named or not: its key, parameters, view, and the
third-party URL set (by module) it belongs to, if any.

A route's key is its namespaced name (`accounts:consent-detail`), or, for a route without a name,
its path pattern from the root with a leading slash (`/reports/<int:patient_id>/`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.admin.sites import all_sites
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    key: str
    name: str | None
    path: str  # the pattern from the root, with a leading slash
    params: frozenset[str]
    view: Callable[..., Any]
    url_set: str | None  # module of the outermost included URL set that is exempt, if any


def url_set_module(resolver: URLResolver) -> str:
    """The module a URL set comes from: the included URLconf module, or for an admin site (whose
    URLs are a list built by the site object) the module of the site's class."""
    module = resolver.urlconf_module
    name = getattr(module, "__name__", None)
    if isinstance(name, str):
        return name
    for site in all_sites:
        if site.name == resolver.namespace:
            return type(site).__module__
    return "<list>"


def walk(
    exempt_modules: frozenset[str] = frozenset(),
    patterns: list[Any] | None = None,
    namespace: str = "",
    prefix: str = "/",
    params: frozenset[str] = frozenset(),
    url_set: str | None = None,
) -> Iterator[Route]:
    """Yield every route. Routes inside a URL set whose module is in `exempt_modules` carry that
    module as `url_set`."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        own = frozenset(getattr(entry.pattern, "converters", {}) or {})
        here = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            inner_set = url_set
            if inner_set is None and url_set_module(entry) in exempt_modules:
                inner_set = url_set_module(entry)
            yield from walk(
                exempt_modules,
                entry.url_patterns,
                ns,
                here,
                params | own | _regex_groups(entry),
                inner_set,
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Route(
                key=name or here,
                name=name,
                path=here,
                params=params | own | _regex_groups(entry),
                view=entry.callback,
                url_set=url_set,
            )


def _regex_groups(entry: Any) -> frozenset[str]:
    regex = getattr(entry.pattern, "regex", None)
    return frozenset(regex.groupindex) if regex is not None else frozenset()


@cache
def url_params() -> dict[str, frozenset[str]]:
    return {route.key: route.params for route in walk()}


_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def fill_path(path: str, kwargs: dict[str, Any]) -> str:
    """The address of an unnamed route: its pattern with each `<conv:name>` filled in."""
    assert "(?P" not in path, f"Give the regular-expression route {path} a name to reverse it."
    return _CONVERTER.sub(lambda m: str(kwargs[m.group("parameter")]), path)
