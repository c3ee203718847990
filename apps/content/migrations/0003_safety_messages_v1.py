"""Publish version 1 of the five safety messages (DOMAIN.md section 6) in plain English.

Sources: UK SmPC for naltrexone 50 mg tablets; "Drug misuse and dependence: UK guidelines on
clinical management" (2017); SAMHSA TIP 63.
"""

from django.db import migrations
from django.utils import timezone

MESSAGES = [
    {
        "key": "withdrawal",
        "title": "Do not take naltrexone while your body still needs opioids",
        "body": (
            "If you have used heroin, methadone, buprenorphine or other opioids in the last few "
            "days, naltrexone can bring on severe withdrawal within minutes. That is why the "
            "clinic checks first, with a urine test and sometimes a naloxone test. Tell us about "
            "any opioid you have used, even once. We will not judge you."
        ),
    },
    {
        "key": "blockade",
        "title": "Do not try to get past the block",
        "body": (
            "Naltrexone blocks the effect of heroin and other opioids. Taking large amounts of "
            "opioids to try to feel them can stop your breathing and kill you."
        ),
    },
    {
        "key": "tolerance",
        "title": "After you stop or miss doses, your old amount can kill you",
        "body": (
            "When naltrexone wears off, your body is no longer used to opioids. An amount you "
            "used to take could stop your breathing. The risk is highest after you stop "
            "treatment or miss doses. Keep a naloxone kit at home and check its expiry date. "
            "Make sure your supervisor knows how to use it. If someone cannot be woken or is "
            "not breathing normally, call 999 and give naloxone."
        ),
    },
    {
        "key": "pain_relief",
        "title": "Opioid painkillers and some other medicines will not work normally",
        "body": (
            "Naltrexone blocks opioid painkillers such as codeine and morphine. It also blocks "
            "some cough and diarrhoea medicines. Tell any doctor, dentist, pharmacist or "
            "paramedic that you take naltrexone. Carry your alert card. If you have planned "
            "surgery, talk to the clinic. You will need to stop naltrexone 72 hours (3 days) "
            "before it."
        ),
    },
    {
        "key": "side_effects",
        "title": "Tell us about side effects",
        "body": (
            "Common side effects are tiredness, indigestion, feeling sick, headache and trouble "
            "sleeping. Tell the clinic if they bother you. Contact the clinic at once if you "
            "have yellow skin or eyes, dark urine, or pain under your right ribs. These can be "
            "signs of liver trouble."
        ),
    },
]


def publish(apps, schema_editor):
    SafetyMessageVersion = apps.get_model("content", "SafetyMessageVersion")
    if not SafetyMessageVersion.objects.filter(version="1").exists():
        SafetyMessageVersion.objects.create(
            version="1",
            language="en-gb",
            messages=MESSAGES,
            is_published=True,
            published_at=timezone.now(),
        )


def unpublish(apps, schema_editor):
    # Keep the version if any patient has acknowledged it: acknowledgements are records.
    SafetyMessageVersion = apps.get_model("content", "SafetyMessageVersion")
    SafetyMessageVersion.objects.filter(version="1", acknowledgements__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0002_faq_and_alert_cards")]

    operations = [migrations.RunPython(publish, unpublish)]
