"""The clinical safety review (issue 10): reword help answers and publish version 2 of the safety
messages.

- "Why does someone need to watch me take it?" and "Do I need counselling as well?" are now in
  the portal's own words (they leaned on the leaflet's sentences).
- "How well does naltrexone work?" no longer says people "try it once" (that echoes testing the
  block).
- Surgery advice applies when opioid pain relief may be needed, not to all dental work.
- "Before the first dose" and safety message 1 give the real intervals (7 days; 10 or more for
  methadone and buprenorphine; longer after depot injections) and explain the naloxone test.

An entry a clinic has already changed (version above 1) is left alone; the staff review list
shows it. Changed entries are marked as not yet reviewed, so the clinic's reviewer signs them off.

Sources: UK SmPC for naltrexone 50 mg tablets; Buvidal SmPC (prolonged-release buprenorphine);
NICE TA115; "Drug misuse and dependence: UK guidelines on clinical management" (2017); SAMHSA TIP 63.
"""

from django.db import migrations
from django.utils import timezone

ANSWERS = {
    "how-effective": """At the usual doses, the block is complete. While it is working, heroin and other opioids have little or no effect.

But naltrexone only works when you take it. The biggest risk is stopping or missing doses. This is why we ask someone you trust to watch you take it. Treatment works best for people who want to stay off opioids and who have support around them.

**Never take large amounts of opioids to try to get past the block.** This can stop your breathing and kill you.""",
    "why-supervised": """The block only lasts if you take every dose. A supervisor helps with that. They are someone you trust who sees you take each tablet at a time you agree.

Most people have hard days, when the pull to use comes back. A set time and a person who expects you make those days easier to get through. If things start to go wrong, your supervisor can tell the clinic, so we can help early.

A supervisor can be a family member, a friend or a workmate. If no one can do it, tell us. A pharmacy or the clinic may be able to watch your doses instead.""",
    "counselling": """Yes. Naltrexone blocks opioids, but it does not deal with the reasons people use them. Talking with a counsellor helps with that part.

In the first month, plan on 2 or 3 sessions. Then come at least once every one or two months until you reach six months. You and your clinician can add more if they help.

You can bring family to a session if you wish. If you already have a counsellor, you can keep seeing them, and we will work with them.

Groups can help too. Narcotics Anonymous (NA) welcomes people who take naltrexone. SMART Recovery is another choice.""",
    "pain-relief-and-surgery": """Naltrexone blocks opioid painkillers, such as codeine, dihydrocodeine, tramadol and morphine. It also blocks some cough and diarrhoea medicines that contain opioids.

For everyday aches, paracetamol and ibuprofen still work. Ask a pharmacist which is right for you.

**Always tell any doctor, dentist, pharmacist or paramedic that you take naltrexone.** Show them your alert card.

**Planned surgery or treatment:** if you may need opioid pain relief for it, tell the clinic as soon as you have a date. You will need to stop naltrexone at least 72 hours (3 days) before. We will plan with you when to restart.

**Dental work:** most dental work, such as a filling, uses a numbing injection and does not need you to stop. Tell your dentist you take naltrexone. If you are not sure, ask the clinic.

**In an emergency:** doctors can use pain relief that is not an opioid, or numb the area. Large doses of opioids to get past the block are dangerous.""",
    "before-first-dose": """If your body still needs opioids, naltrexone pushes them out of the receptors all at once. This brings on severe withdrawal within minutes.

So you need a gap before your first dose:

- at least 7 days after heroin, codeine, tramadol or other short-acting opioids
- at least 10 days after methadone, daily buprenorphine, slow-release painkillers or fentanyl
- longer after buprenorphine injections given each week or month (a depot). A specialist will plan when it is safe.

We do a urine test. We may also do a naloxone test. In this test, a nurse gives you a small dose of naloxone and watches you for a while. If your body still needs opioids, you get mild withdrawal for a short time, and we know to wait.

Please be honest about what you have used. We will not judge you. It keeps you safe.""",
}

WITHDRAWAL_V2 = {
    "key": "withdrawal",
    "title": "Do not take naltrexone while your body still needs opioids",
    "body": (
        "If you have used opioids recently, naltrexone can bring on severe withdrawal within "
        "minutes. You need a gap first: at least 7 days after heroin, codeine or tramadol, and "
        "10 days or more after methadone or buprenorphine. After buprenorphine injections (a "
        "depot), the gap is longer and a specialist plans it. The clinic checks with a urine "
        "test. We may also do a naloxone test: a small dose of naloxone that shows if your body "
        "still needs opioids. Tell us about any opioid you have used, even once. We will not "
        "judge you."
    ),
}
PAIN_RELIEF_V2 = {
    "key": "pain_relief",
    "title": "Opioid painkillers and some other medicines will not work normally",
    "body": (
        "Naltrexone blocks opioid painkillers such as codeine and morphine. It also blocks "
        "some cough and diarrhoea medicines. Tell any doctor, dentist, pharmacist or "
        "paramedic that you take naltrexone. Carry your alert card. If you have planned "
        "surgery where you may need opioid pain relief, talk to the clinic. You will need to "
        "stop naltrexone 72 hours (3 days) before it."
    ),
}


def reword(apps, schema_editor):
    FaqEntry = apps.get_model("content", "FaqEntry")
    FaqEntryVersion = apps.get_model("content", "FaqEntryVersion")
    SafetyMessageVersion = apps.get_model("content", "SafetyMessageVersion")
    now = timezone.now()
    for slug, answer in ANSWERS.items():
        entry = FaqEntry.objects.filter(slug=slug, language="en-gb", version=1).first()
        if entry is None:
            continue
        entry.answer = answer
        entry.version = 2
        entry.published_at = now
        entry.reviewed_by = None
        entry.reviewed_at = None
        entry.next_review_due = None
        entry.save()
        FaqEntryVersion.objects.create(
            entry=entry,
            version=2,
            question=entry.question,
            answer=answer,
            sources=entry.sources,
            category_slug=entry.category.slug,
            audience=entry.audience,
            published_at=now,
        )
    v1 = SafetyMessageVersion.objects.filter(version="1").first()
    if v1 is not None and not SafetyMessageVersion.objects.filter(version="2").exists():
        replaced = {"withdrawal": WITHDRAWAL_V2, "pain_relief": PAIN_RELIEF_V2}
        SafetyMessageVersion.objects.create(
            version="2",
            language="en-gb",
            messages=[replaced.get(m["key"], m) for m in v1.messages],
            is_published=True,
            published_at=now,
        )


def unreword(apps, schema_editor):
    # Keep version 2 if any patient has acknowledged it: acknowledgements are records. Help
    # answers stay as they are (their versions are kept).
    SafetyMessageVersion = apps.get_model("content", "SafetyMessageVersion")
    SafetyMessageVersion.objects.filter(version="2", acknowledgements__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0004_faq_content")]

    operations = [migrations.RunPython(reword, unreword)]
