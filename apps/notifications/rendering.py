"""Turning a notification into words, at send time, from its kind's templates.

Templates per kind: `emails/<kind>_subject.txt`, `emails/<kind>_body.txt`,
`emails/<kind>_body.html`, `notifications/<kind>_inapp.txt` (inbox and SMS).
Subjects and in-app/SMS text never receive the details: only e-mail bodies do, and only for
people who opted in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string, select_template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.module_loading import import_string

from apps.accounts.models import User
from apps.clinic.selectors import clinic_settings_cached
from apps.notifications.channels import Message
from apps.notifications.kinds import KINDS, InboxWords, kind_get
from apps.notifications.models import Notification


def notification_path(notification: Notification) -> str:
    """The portal page the notification is about (no queries: ids only). An old row whose kind
    or ids no longer fit points at the inbox rather than breaking the page."""
    kind = KINDS.get(notification.kind)
    try:
        if kind is not None:
            kwargs = {arg: notification.context_ids[key] for arg, key in kind.url_params.items()}
            return reverse(kind.url_name, kwargs=kwargs)
    except (KeyError, NoReverseMatch):
        pass
    return reverse("notifications:inbox")


def inbox_words_for(notifications: list[Notification], viewer: User) -> dict[int, InboxWords]:
    """What each notification says in the portal and the page it opens, for kinds that name
    the person or task (`Kind.inbox`): one builder call per kind present, however many rows."""
    by_kind: dict[str, list[Notification]] = {}
    for n in notifications:
        kind = KINDS.get(n.kind)
        if kind is not None and kind.inbox:
            by_kind.setdefault(kind.inbox, []).append(n)
    found: dict[int, InboxWords] = {}
    for builder, rows in by_kind.items():
        found.update(import_string(builder)(rows, viewer))
    return found


def notification_target(notification: Notification, viewer: User) -> str:
    """The page the Open button leads to: the kind's own page for this very object where it
    has one (a task's page), else the kind's page; never back to the inbox it was opened from
    (a kind with no page of its own opens the person's home page)."""
    words = inbox_words_for([notification], viewer).get(notification.pk)
    target = words.url if words is not None and words.url else notification_path(notification)
    if target == reverse("notifications:inbox"):
        return reverse("core:dashboard")
    return target


def inapp_text(notification: Notification) -> str:
    """The short, lock-screen-safe line of a notification (the text message, and the inbox's
    fallback). No queries: ids only."""
    template = select_template(
        [f"notifications/{notification.kind}_inapp.txt", "notifications/portal_update_inapp.txt"]
    )
    return str(template.render({"n": notification})).strip()


def message_render(notification: Notification, *, include_details: bool) -> Message | None:
    """Render every form of the message, or None when it is no longer needed."""
    kind = kind_get(notification.kind)
    context: dict[str, Any] = {
        "clinic": clinic_settings_cached(),
        "recipient_name": (
            notification.recipient.display_name if notification.recipient is not None else ""
        ),
    }
    if kind.context:
        extra = import_string(kind.context)(notification)
        if extra is None:
            return None
        context.update(extra)
    context.setdefault("link", f"{settings.SITE_URL}{notification_path(notification)}")
    safe = {**context, "details": {}}
    detailed = {**context, "details": {}}
    if include_details and kind.details:
        detailed["details"] = import_string(kind.details)(notification) or {}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{notification.kind}_subject.txt", safe)
        inapp = render_to_string(
            f"notifications/{notification.kind}_inapp.txt", {"n": notification}
        )
        return Message(
            # A subject is one line, whatever the template's whitespace.
            subject=" ".join(subject.split()),
            text=render_to_string(f"emails/{notification.kind}_body.txt", detailed),
            html=render_to_string(f"emails/{notification.kind}_body.html", detailed),
            sms=f"{' '.join(inapp.split())} {context['link']}",
            link=context["link"],
            attachments=(
                tuple(import_string(kind.attachments)(notification)) if kind.attachments else ()
            ),
        )
