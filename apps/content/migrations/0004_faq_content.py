"""Ship the help content: every question of the clinic's leaflet, answered in the portal's own
words with the corrections of DOMAIN.md section 8, and what patients, families and supervisors
ask next. Each answer is at or below reading grade 8 (tests/content/test_readability.py).

Entries are published as version 1 and marked as not yet reviewed, so they appear on the staff
list of content due for a clinical review until the clinic's own reviewer signs them off.
"""

from django.db import migrations
from django.utils import timezone

SMPC = "UK Summary of Product Characteristics (SmPC) for naltrexone 50 mg tablets"
TA115 = "NICE TA115: Naltrexone for the management of opioid dependence (2007)"
CG115 = "NICE CG115: Alcohol-use disorders: diagnosis, assessment and management (2011)"
ORANGE = "Drug misuse and dependence: UK guidelines on clinical management ('Orange book', 2017)"
TIP63 = "SAMHSA TIP 63: Medications for Opioid Use Disorder"

CATEGORIES = [
    # slug, title, audience, order
    ("about", "About naltrexone", "everyone", 10),
    ("taking", "Taking naltrexone", "everyone", 20),
    ("safety", "Staying safe", "everyone", 30),
    ("support", "Support and supervision", "everyone", 40),
    ("supervisors", "For supervisors", "supervisors", 50),
]

# slug, category, question, answer (Markdown), sources
ENTRIES = [
    (
        "what-is-naltrexone",
        "about",
        "What is naltrexone?",
        """Naltrexone is a medicine that blocks the effects of opioids. Opioids include heroin, methadone (Physeptone), morphine, codeine, dihydrocodeine (DF118) and buprenorphine (Temgesic, Subutex).

Naltrexone comes as a tablet. It is not an opioid. It does not make you high.

In this programme, you take naltrexone after you have stopped using opioids. It helps you stay off them. Some people take it to help them stay off alcohol.""",
        [SMPC, TA115],
    ),
    (
        "how-does-it-work",
        "about",
        "How does naltrexone work?",
        """Opioids work by fitting into tiny parts of the brain and nerves called receptors. Naltrexone gets to these receptors first and sits in them. Then heroin and other opioids cannot get in. We call this the block.

How long the block lasts depends on the dose:

- about one day after one tablet (50 mg)
- about two to three days after two or three tablets taken at once (100 mg or 150 mg)

The block then wears off. That is why you take your doses on time.

These receptors are part of the brain's reward system. When opioids bring no reward, cravings often fade with time. Naltrexone can also help with alcohol cravings, but its effect on drinking is less certain.""",
        [SMPC, TIP63],
    ),
    (
        "why-take-it",
        "about",
        "Why take naltrexone?",
        """Naltrexone helps prevent relapse. Most people who stop using opioids go back to using at least once. This is common. It is not a failure.

Taking naltrexone every time it is due gives you a better chance of staying off opioids. It works best as part of a plan that also gives you support and counselling.""",
        [TA115, ORANGE],
    ),
    (
        "how-effective",
        "about",
        "How well does naltrexone work?",
        """At the usual doses, the block is complete. If you take heroin or another opioid while the block is working, you will not feel the usual effect. Many people who try it once find it a waste of money, and do not try again.

But naltrexone only works when you take it. The biggest risk is stopping or missing doses. This is why we ask someone you trust to watch you take it. Treatment works best for people who want to stay off opioids and who have support around them.

**Never take large amounts of opioids to try to get past the block.** This can stop your breathing and kill you.""",
        [SMPC, TA115, TIP63],
    ),
    (
        "is-it-addictive",
        "about",
        "Is naltrexone addictive?",
        """No. Naltrexone does not make you high, and your body does not come to depend on it. You will not get withdrawal symptoms if you stop, even after many months.

But stopping does carry a serious risk. Once the block wears off, your body is no longer used to opioids. An amount you used to take could kill you. Please talk to us before you stop.""",
        [SMPC],
    ),
    (
        "is-it-new",
        "about",
        "Is naltrexone a new medicine?",
        """No. Naltrexone was first approved in the USA in 1984, for people who had stopped using opioids. It has been used in the UK for more than 30 years.

In 2007, NICE recommended it as an option for people who have stopped using opioids and are keen to stay off them. NICE is the body that advises on which treatments work well.""",
        [TA115],
    ),
    (
        "who-is-it-for",
        "about",
        "Who is naltrexone for?",
        """Naltrexone may suit you if:

- you have stopped using opioids, or are near the end of a detox, and want to stay off them
- you have tried to stop before, but it did not last
- you feel that willpower, mutual-aid groups or counselling alone will not be enough

It is not right for everyone. It is not safe if your body still needs opioids, if you need opioid painkillers, or if you have serious liver or kidney problems. You need to be 18 or over to join this programme.

Your clinician will talk it through with you and do some checks first.

It can also help some people with a drinking problem. See the answer about alcohol.""",
        [TA115, SMPC],
    ),
    (
        "alcohol",
        "about",
        "Can naltrexone help with alcohol? Can I drink while I take it?",
        """Naltrexone can help people who are dependent on alcohol to stay off it. It works best after you have stopped drinking, with counselling or other support.

In the UK, its licence is for people whose goal is to stop drinking. Some people want to cut down instead. If that is your goal, talk to your clinician. Using naltrexone to cut down is outside its licence, and another medicine (nalmefene) is licensed for that. Your clinician will decide with you what is best.

If you take naltrexone for opioids, it does not react badly with alcohol. But alcohol can harm your liver, and it can make it harder to stick to your plans. Be open with your clinician about how much you drink.""",
        [CG115, SMPC],
    ),
    (
        "how-long",
        "taking",
        "How long will I take naltrexone for?",
        """We suggest you take naltrexone for at least 12 months. Your clinician will check with you at regular reviews that it is still helping.

You can talk about stopping at any time. If you want to stop, tell us first. We will plan it with you and help you stay safe.""",
        [TA115],
    ),
    (
        "how-often",
        "taking",
        "How often do I take it?",
        """Your first dose is usually half a tablet (25 mg). After that, most people take one tablet (50 mg) every day.

If a daily dose is hard to fit around your supervisor, there are other ways to take it:

- two tablets (100 mg) every second day
- three tablets (150 mg) every third day
- two tablets on Monday and Wednesday, and three tablets on Friday

Never take more than three tablets in one day. Your clinician will agree the plan with you. The portal shows when each dose is due.""",
        [SMPC],
    ),
    (
        "missed-dose",
        "taking",
        "What should I do if I miss a dose?",
        """If you have not used any opioids, take the missed dose as soon as you can. Take it with your supervisor if you can. Then go back to your usual plan. Do not take a double dose to make up for it, and never take more than three tablets in one day.

**If you have used any opioid since your last dose, do not take naltrexone.** It could bring on sudden, severe withdrawal. Call the clinic first.

If it is more than 3 days since your last dose, call the clinic before you take the next one. You may need a urine test first, and you may restart on half a tablet.

While the block has worn off, your body may be less used to opioids. Using could be very dangerous.""",
        [SMPC, TIP63],
    ),
    (
        "side-effects",
        "taking",
        "Does naltrexone have side effects?",
        """Most people take naltrexone without serious problems. Side effects are most common in the first few weeks, and they often settle.

Common side effects include:

- feeling tired or low in energy
- indigestion or stomach pain
- feeling sick
- headache
- trouble sleeping
- feeling anxious or on edge
- aching joints or muscles

Tell the clinic if side effects bother you. We can often help.

**Contact the clinic at once** if you have yellow skin or eyes, dark urine (pee), or pain under your right ribs. These can be signs of liver trouble. Tell us too if you feel very low, or have thoughts of harming yourself.

If you take naltrexone while your body still needs opioids, it brings on severe withdrawal within minutes. That is why we check first.

People often worry that naltrexone will stop them enjoying life. Most find it does not. Many feel glad to be free of opioids or alcohol, and protected from relapse.""",
        [SMPC],
    ),
    (
        "liver-tests",
        "taking",
        "Why do I need liver blood tests?",
        """Your liver breaks down naltrexone. High doses can harm the liver. Some people also have liver problems already, for example from hepatitis or alcohol.

So we check your liver with a blood test before you start. This is called a liver function test. We check again after one month and three months, and then every six months. If the results change a lot, your clinician may pause treatment or ask a liver specialist.

Contact the clinic at once if you have yellow skin or eyes, dark urine (pee), or pain under your right ribs.""",
        [SMPC, ORANGE],
    ),
    (
        "pregnancy",
        "taking",
        "Can I take naltrexone if I am pregnant or breastfeeding?",
        """There is not enough research to be sure naltrexone is safe for a baby in the womb or during breastfeeding.

Tell your clinician if you are pregnant, think you might be, or plan to be. Tell them too if you are breastfeeding. They will get advice from a specialist and talk through your choices with you.

Please talk to us before you stop. Stopping raises the risk of relapse and overdose.""",
        [SMPC],
    ),
    (
        "before-first-dose",
        "safety",
        "Why do I need to be off opioids before my first dose?",
        """If your body still needs opioids, naltrexone pushes them out of the receptors all at once. This brings on severe withdrawal within minutes.

So you need a gap before your first dose:

- at least 7 days after heroin, codeine, tramadol or other short-acting opioids
- at least 10 days after methadone or buprenorphine

We do a urine test, and sometimes a naloxone test, to check it is safe. Please be honest about what you have used. We will not judge you. It keeps you safe.""",
        [SMPC, TIP63],
    ),
    (
        "pain-relief-and-surgery",
        "safety",
        "What about pain relief, dental work and surgery?",
        """Naltrexone blocks opioid painkillers, such as codeine, dihydrocodeine, tramadol and morphine. It also blocks some cough and diarrhoea medicines that contain opioids.

For everyday aches, paracetamol and ibuprofen still work. Ask a pharmacist which is right for you.

**Always tell any doctor, dentist, pharmacist or paramedic that you take naltrexone.** Show them your alert card.

**Planned surgery or dental work:** tell the clinic as soon as you have a date. You will need to stop naltrexone at least 72 hours (3 days) before. We will plan with you when to restart.

**In an emergency:** doctors can use pain relief that is not an opioid, or numb the area. Large doses of opioids to get past the block are dangerous.""",
        [SMPC, TIP63],
    ),
    (
        "naloxone",
        "safety",
        "What is naloxone, and why should I have it?",
        """Naloxone is an emergency medicine. It reverses an opioid overdose for a short time. It comes as an injection or a nose spray.

Keep a naloxone kit at home, even while you take naltrexone. Your risk of overdose is highest if you stop or miss doses. Show your supervisor and family where it is and how to use it. Check the date on the kit, and ask us for a new one before it runs out.

If you think someone has taken an overdose:

1. Call 999.
2. Give naloxone.
3. Put them on their side, in the recovery position.
4. Stay with them. Naloxone wears off, so they may need a second dose.

If they are not breathing, the 999 call handler will tell you what to do.""",
        [ORANGE],
    ),
    (
        "stopping-and-overdose",
        "safety",
        "What if I stop and use opioids again?",
        """This is the most dangerous time. After you stop naltrexone, the block wears off within a few days. Your body is no longer used to opioids. **An amount you used to take could stop your breathing and kill you.**

If you are thinking of stopping, please talk to us first.

If you do use again:

- use much less than you used to
- do not use alone
- do not mix opioids with alcohol or other drugs
- keep naloxone with you

If someone cannot be woken, call 999.

You can always come back. We will not judge you. Call the clinic and we will help you restart safely.""",
        [SMPC, ORANGE],
    ),
    (
        "why-supervised",
        "support",
        "Why does someone need to watch me take it?",
        """Some days your motivation may slip. That is normal. Having someone you trust give you your tablet helps on the days you feel tempted to use. Your supervisor can also tell the clinic if things are not going well.

A supervisor can be a family member, a friend or a workmate. Being watched can feel annoying at times. But it is much less trouble than a relapse.

If no one can supervise you, talk to us. A pharmacy or the clinic may be able to help, or we can look at other ways to keep you safe.""",
        [TA115],
    ),
    (
        "supervision-in-the-portal",
        "support",
        "How does supervision work in the portal?",
        """You choose who supervises you. In the portal, go to Supervisors and ask someone you trust. You sign a consent that says what they can see. They get an e-mail and say yes. Then your clinician confirms them.

Your supervisor sees your name, your dose times and whether each dose was taken. They also see safety advice, and they can tell the clinic if they are worried. They do not see your test results, your answers to questions or your notes.

At each dose time, your supervisor watches you take your tablet and records it. If a dose is missed, the portal reminds you both. If doses keep being missed, your clinician is told, so they can check in with you.

You can end a supervisor's access at any time.""",
        [],
    ),
    (
        "counselling",
        "support",
        "Do I need counselling as well?",
        """Yes. Naltrexone works best with support. We suggest 2 or 3 sessions in the first month. After that, come at least once every one or two months until you reach six months. Some people need to come more often. Your clinician will agree a plan with you.

We are happy to include your family if you want us to. If you already see a counsellor, we are happy to work with them.

Groups can help too. You can go to Narcotics Anonymous (NA) meetings while you take naltrexone. SMART Recovery groups are another choice.""",
        [TA115, ORANGE],
    ),
    (
        "supervisor-role",
        "supervisors",
        "What does a supervisor do?",
        """You help someone you care about to stay on naltrexone. At each agreed time, you watch them take their tablet and record it in the portal.

You are not their doctor, and you are not there to police them. Your job is to turn up, be kind, and tell the clinic if you are worried.

Before you start, ask the clinic to show you how to use naloxone.""",
        [TA115],
    ),
    (
        "supervisor-watch-for",
        "supervisors",
        "What should I watch for?",
        """These signs may mean things are not going well:

- missed or late doses, or reasons to skip them
- a tablet held in the mouth, or spat out
- signs of opioid use, such as tiny pupils, being very sleepy, or slurred speech
- signs of withdrawal, such as sweating, yawning, a runny nose or stomach cramps
- changes in mood, keeping away from people, or talk of feeling hopeless
- yellow skin or eyes, which can be a sign of liver trouble

If you notice any of these, tell the clinic. If the person talks about harming themselves, get help straight away.""",
        [ORANGE, SMPC],
    ),
    (
        "supervisor-confirm-dose",
        "supervisors",
        "How do I confirm a dose?",
        """1. Meet at the agreed time.
2. Watch the person take the tablet with a drink of water.
3. Check it has been swallowed. It is fine to chat for a minute or two afterwards.
4. Record the dose in the portal straight away.

If the tablet is refused, sicked up or spat out, record that. If the person does not come, record that too.

Please be honest. A true record keeps them safe. It is not about blame.""",
        [],
    ),
    (
        "supervisor-naloxone",
        "supervisors",
        "What do supervisors need to know about naloxone?",
        """Naloxone reverses an opioid overdose for a short time. The person you support should have a kit at home. Know where it is and how to use it. The clinic can show you.

Signs of an overdose:

- cannot be woken
- slow breathing, or no breathing
- blue or grey lips
- tiny pupils
- loud snoring or gurgling sounds

What to do:

1. Call 999.
2. Give naloxone, as the kit shows you.
3. Put them on their side, in the recovery position.
4. Stay with them until help comes. Give another dose if they do not wake up, or stop breathing again.""",
        [ORANGE],
    ),
    (
        "supervisor-raise-concern",
        "supervisors",
        "How do I tell the clinic I am worried?",
        """You can tell the clinic about a worry through the portal, or by phone. A clinician will read it.

Say what you saw and when. For example: "Missed doses on Monday and Tuesday." You do not need to be sure before you tell us.

If it is urgent, call the clinic's 24-hour number. If someone's life is in danger, call 999.""",
        [],
    ),
    (
        "supervisor-do-and-dont",
        "supervisors",
        "Supervising: what to do and what not to do",
        """**Do:**

- agree a time that suits you both
- stay calm and kind, whatever happens
- record each dose straight away, even a missed one
- praise the progress they make
- know where the naloxone is, and how to use it
- look after yourself too

**Don't:**

- argue, blame or lecture
- hand over tablets to take later
- cover up a missed dose
- give them any opioid painkillers
- try to deal with an overdose alone: call 999""",
        [],
    ),
]


def ship(apps, schema_editor):
    FaqCategory = apps.get_model("content", "FaqCategory")
    FaqEntry = apps.get_model("content", "FaqEntry")
    FaqEntryVersion = apps.get_model("content", "FaqEntryVersion")
    now = timezone.now()
    categories = {}
    for slug, title, audience, order in CATEGORIES:
        categories[slug], _ = FaqCategory.objects.get_or_create(
            slug=slug,
            language="en-gb",
            defaults={"title": title, "audience": audience, "order": order},
        )
    for position, (slug, category, question, answer, sources) in enumerate(ENTRIES, start=1):
        if FaqEntry.objects.filter(slug=slug, language="en-gb").exists():
            continue
        entry = FaqEntry.objects.create(
            slug=slug,
            language="en-gb",
            category=categories[category],
            question=question,
            answer=answer,
            sources="\n".join(sources),
            order=position * 10,
            audience=categories[category].audience,
            status="published",
            version=1,
            published_at=now,
        )
        FaqEntryVersion.objects.create(
            entry=entry,
            version=1,
            question=question,
            answer=answer,
            sources=entry.sources,
            category_slug=category,
            audience=entry.audience,
            published_at=now,
        )


def unship(apps, schema_editor):
    # Remove only what this migration made and nobody has changed since.
    FaqCategory = apps.get_model("content", "FaqCategory")
    FaqEntry = apps.get_model("content", "FaqEntry")
    FaqEntryVersion = apps.get_model("content", "FaqEntryVersion")
    shipped = FaqEntry.objects.filter(
        slug__in=[entry[0] for entry in ENTRIES], language="en-gb", version=1
    )
    FaqEntryVersion.objects.filter(entry__in=shipped).delete()
    shipped.delete()
    FaqCategory.objects.filter(
        slug__in=[category[0] for category in CATEGORIES], language="en-gb", entries__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0003_safety_messages_v1")]

    operations = [migrations.RunPython(ship, unship)]
