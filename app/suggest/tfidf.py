"""TF-IDF backend (no model): word-level TF-IDF over the workshop's own ideas, Spanish,
Catalan/Valencian and English stop words removed, accents folded, light stemming (plural
"s" dropped, words cut to five letters: energia/energetica/energy meet at "energ")."""
import re

import numpy as np

from .stopwords import STOP_WORDS, fold

WORD = re.compile(r"[a-z0-9]+")
STEM = 5


def words(text: str) -> list[str]:
    """The content words of a text, folded, stop words out (also used to name themes)."""
    return [w for w in WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS]


def stem(word: str) -> str:
    if len(word) > 4 and word.endswith("s"):
        word = word[:-1]
    return word[:STEM]


def terms(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def _vectorizer():
    # scikit-learn (~90 MB) loads with the first TF-IDF suggestion, not in every process
    from sklearn.feature_extraction.text import TfidfVectorizer
    return TfidfVectorizer(analyzer=terms, sublinear_tf=True)


class TfidfBackend:
    name = "tfidf"
    reduce_for_grouping = True  # sparse, thousands of columns: LSA before k-means

    def vectors(self, texts: list[str]) -> np.ndarray:
        """Unit-length rows (zero rows for texts of stop words only); fitted on the texts
        themselves (a workshop's own vocabulary)."""
        try:
            return _vectorizer().fit_transform(texts).toarray()
        except ValueError:  # nothing but blanks and stop words
            return np.zeros((len(texts), 1))

    def index(self, texts: list[str]):
        """Vectors for `texts` and a function that places one more text among them without
        refitting (a similar-idea check then costs one text, not the whole board)."""
        vectorizer = _vectorizer()
        try:  # sparse rows: a dense copy is not needed for one dot product per idea
            vectors = vectorizer.fit_transform(texts)
        except ValueError:
            return np.zeros((len(texts), 1)), lambda text: np.zeros(1)

        def embed(text: str) -> np.ndarray:
            return vectorizer.transform([text]).toarray()[0]  # unit length (norm="l2")
        return vectors, embed
