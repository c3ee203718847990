"""Markdown to safe HTML. Content is written by staff, but a page must never carry a script:
everything is cleaned by nh3 against a short allow-list after Markdown has run."""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# No javascript:, data: or other schemes: only web, e-mail and phone links.
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


@lru_cache(maxsize=512)
def render_markdown(text: str) -> str:
    """Sanitised HTML for a Markdown answer (cached: the same text always gives the same HTML)."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )


def sources_list(sources: str) -> list[str]:
    """The sources field, one guideline per line."""
    return [line.strip() for line in sources.splitlines() if line.strip()]
