"""Small helpers for forms."""

from django import forms

from apps.core.exceptions import ServiceError


def apply_service_error(form: forms.Form, exc: ServiceError) -> None:
    """Show a service's refusal next to the field it is about, or at the top of the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
