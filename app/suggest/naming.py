"""Theme names people would write: the words that set one proposed group apart from the
others (class-based TF-IDF), in the words the ideas use (accents kept: the most frequent
spelling of each word), stop words of es/ca/en out, at most three words, capitalised."""
import math
import re
from collections import Counter

from .stopwords import STOP_WORDS, fold
from .tfidf import stem

SURFACE = re.compile(r"[^\W_]+(?:[·'’-][^\W_]+)*")
MAX_WORDS = 3


def _words(text: str) -> list[tuple[str, str]]:
    """(stem, word as written) for the content words of a text."""
    found = []
    for word in SURFACE.findall(text):
        word = re.split(r"['’]", word)[-1]  # l'autoconsum -> autoconsum
        folded = fold(word)
        if len(folded) > 2 and folded not in STOP_WORDS and not folded.isdigit():
            found.append((stem(folded), word.lower()))
    return found


def names(groups: list[list[str]]) -> list[str]:
    """One name per group of texts, from c-TF-IDF: a stem's share of its group's words,
    times log(1 + average group size in words / its count over all groups)."""
    counts = [Counter(s for text in texts for s, _w in _words(text)) for texts in groups]
    spelled: dict[str, Counter] = {}
    for texts in groups:
        for text in texts:
            for s, word in _words(text):
                spelled.setdefault(s, Counter())[word] += 1
    overall = Counter()
    for c in counts:
        overall.update(c)
    average = sum(overall.values()) / max(len(groups), 1)
    result = []
    for c in counts:
        total = sum(c.values()) or 1
        score = {s: n / total * math.log(1 + average / overall[s]) for s, n in c.items()
                 if n > 1 or len(c) < 4}
        best = sorted(score, key=lambda s: (-score[s], s))[:MAX_WORDS]
        chosen = [spelled[s].most_common(1)[0][0] for s in best]
        name = ", ".join(chosen)
        result.append(name[:1].upper() + name[1:] if name else "")
    return result
