"""The answer "How does supervision work in the portal?" said "the portal reminds you both" before
the portal sent any reminder. Reword that paragraph so it is true whether or not reminders are
built (issue 12), as version 2 of the entry, and only where nobody has changed the shipped
wording since."""

from django.db import migrations
from django.utils import timezone

SLUG = "supervision-in-the-portal"
OLD = (
    "At each dose time, your supervisor watches you take your tablet and records it. If a dose is "
    "missed, the portal reminds you both. If doses keep being missed, your clinician is told, so "
    "they can check in with you."
)
NEW = (
    "At each dose time, your supervisor watches you take your tablet and records it. If a dose is "
    "missed, talk with your supervisor that day. If doses keep being missed, your clinician needs "
    "to know, so they can check in with you."
)


def reword(apps, schema_editor):
    FaqEntry = apps.get_model("content", "FaqEntry")
    FaqEntryVersion = apps.get_model("content", "FaqEntryVersion")
    entry = FaqEntry.objects.filter(slug=SLUG, language="en-gb", version=1).first()
    if entry is None or OLD not in entry.answer:
        return  # changed by the clinic since: theirs to review
    now = timezone.now()
    entry.answer = entry.answer.replace(OLD, NEW)
    entry.version = 2
    entry.published_at = now
    entry.save(update_fields=["answer", "version", "published_at", "updated_at"])
    FaqEntryVersion.objects.create(
        entry=entry,
        version=2,
        question=entry.question,
        answer=entry.answer,
        sources=entry.sources,
        category_slug=entry.category.slug,
        audience=entry.audience,
        published_at=now,
        reviewed_by=entry.reviewed_by,
        reviewed_at=entry.reviewed_at,
    )


def unword(apps, schema_editor):
    FaqEntry = apps.get_model("content", "FaqEntry")
    FaqEntryVersion = apps.get_model("content", "FaqEntryVersion")
    entry = FaqEntry.objects.filter(slug=SLUG, language="en-gb", version=2).first()
    if entry is None or NEW not in entry.answer:
        return
    FaqEntryVersion.objects.filter(entry=entry, version=2).delete()
    entry.answer = entry.answer.replace(NEW, OLD)
    entry.version = 1
    entry.save(update_fields=["answer", "version", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [("content", "0004_faq_content")]

    operations = [migrations.RunPython(reword, unword)]
