"""Words that must never reach a lock screen: e-mail subjects, the first lines of e-mail bodies,
text messages, the clinic's name as it appears in those, and the issuer name an authenticator
app lists. One list, used by the portal's checks and by the message tests.

Someone glancing at a phone, or sharing a computer, should not learn that its owner is in
treatment for opioid or alcohol use.
"""

from __future__ import annotations

import re

CLINICAL_WORDS: tuple[str, ...] = (
    "naltrexone",
    "opioid",
    "opioids",
    "alcohol",
    "heroin",
    "overdose",
    "withdrawal",
    "relapse",
    "addiction",
    "addictions",
    "diagnosis",
    "score",
    "dose",
    "doses",
    "mg",
    "liver",
    "recovery",
    "detox",
    "rehab",
    "drug",
    "drugs",
    "substance",
    "substances",
    "abstinence",
    "sobriety",
    "methadone",
)

_WORD = re.compile(r"[a-z]+")


def clinical_words_in(text: str) -> list[str]:
    """The clinical words found in `text`, whole words, any case, in the list's order."""
    found = set(_WORD.findall(text.lower()))
    return [word for word in CLINICAL_WORDS if word in found]
