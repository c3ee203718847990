"""One error wording per field, the same in the error summary and next to the field.

Django's generic messages do not say which field they are about ("This field is required."
appears in the summary once per empty field); `{{ error|plain_error:field }}` names the field.
Messages a form or service wrote itself pass through unchanged."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()

CHOICE_WIDGETS = {"select", "radioselect", "checkboxselectmultiple", "selectmultiple"}


def _quoted(label: str) -> str:
    """“Your full name”. (a label ending in a question mark keeps it, with no full stop)."""
    text = label.strip().rstrip(":")
    return f"“{text}”" if text.endswith("?") else f"“{text}”."


@register.filter
def plain_error(error: Any, field: Any) -> str:
    text = str(error)
    label = str(getattr(field, "label", "") or "")
    if not label:
        return text
    if text == _("This field is required."):
        kind = getattr(field, "widget_type", "")
        if kind in CHOICE_WIDGETS:
            return _("Choose an answer for %(label)s") % {"label": _quoted(label)}
        if kind == "checkbox":
            return _("Tick the box %(label)s") % {"label": _quoted(label)}
        return _("Fill in %(label)s") % {"label": _quoted(label)}
    if text == _("Enter a valid email address."):
        return _("Enter an e-mail address in the right format, like name@example.org.")
    return text
