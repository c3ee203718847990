"""The supervisors' answer "How do I confirm a dose?" said only "Record the dose in the portal
straight away". Recording now works (apps/dosing): say where and how, and that it starts once
the clinician has confirmed the arrangement. Version 2 of the entry, only where nobody has
changed the shipped wording since."""

from django.db import migrations
from django.utils import timezone

SLUG = "supervisor-confirm-dose"
OLD = "4. Record the dose in the portal straight away."
NEW = (
    "4. Record it in the portal straight away. On your home page, choose the person's name. "
    "Under \"Today's dose\", choose what happened, then confirm. You can do this once the clinic "
    "has confirmed you as their supervisor."
)


def reword(apps, schema_editor):
    FaqEntry = apps.get_model("content", "FaqEntry")
    FaqEntryVersion = apps.get_model("content", "FaqEntryVersion")
    entry = FaqEntry.objects.filter(slug=SLUG, language="en-gb").first()
    if entry is None or OLD not in entry.answer:
        return  # changed by the clinic since: theirs to review
    now = timezone.now()
    entry.answer = entry.answer.replace(OLD, NEW)
    entry.version += 1
    entry.published_at = now
    entry.save(update_fields=["answer", "version", "published_at", "updated_at"])
    FaqEntryVersion.objects.create(
        entry=entry,
        version=entry.version,
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
    entry = FaqEntry.objects.filter(slug=SLUG, language="en-gb").first()
    if entry is None or NEW not in entry.answer:
        return
    FaqEntryVersion.objects.filter(entry=entry, version=entry.version).delete()
    entry.answer = entry.answer.replace(NEW, OLD)
    entry.version -= 1
    entry.save(update_fields=["answer", "version", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [("content", "0006_merge_safety_reliability")]

    operations = [migrations.RunPython(reword, unword)]
