"""Background work for accounts. Tasks take ids, load rows, and call one service or send one
message; they are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from apps.accounts import services
from apps.accounts.models import Invitation
from apps.clinic.selectors import clinic_settings_get


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int) -> bool:
    """E-mail the link for an open invitation. The subject names no drug and no diagnosis."""
    invitation = (
        Invitation.objects.select_related("consent__patient", "invited_by")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return False
    context = {
        "invitation": invitation,
        "url": services.invitation_url(invitation),
        "clinic": clinic_settings_get(),
        "patient_first_name": (
            invitation.consent.patient.display_name if invitation.consent else ""
        ),
        "expiry_days": settings.INVITATION_EXPIRY_DAYS,
    }
    subject = render_to_string("emails/invitation_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/invitation_body.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("emails/invitation_body.html", context), "text/html"
    )
    message.send()
    return True


@shared_task
def expire_invitations() -> int:
    """Mark invitations past their expiry (beat, hourly)."""
    return services.invitations_expire()
