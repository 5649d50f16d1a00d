"""TF-IDF backend: character n-grams within words (robust to plurals, typos and the
shared roots of English and Spanish words: energy/energía), cosine similarity; theme names
from word weights with English + Spanish stop words."""
import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

SPANISH_STOP_WORDS = set("""
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante
e el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos ha
han hasta hay la las le les lo los mas más me mi mis muy ni no nos o os otra otras otro otros
para pero poco por porque que qué se sea ser si sí sin sino sobre son su sus también tan
tanto te tiene tienen todo todos tu tus un una unas uno unos y ya cada mismo misma
""".split())
STOP_WORDS = sorted(set(ENGLISH_STOP_WORDS) | SPANISH_STOP_WORDS |
                    {"mas", "tambien", "que", "si"})


class TfidfBackend:
    name = "tfidf"

    def vectors(self, texts: list[str]) -> np.ndarray:
        """Unit-length rows; fitted on the texts themselves (a workshop's own vocabulary)."""
        self._texts = list(texts)
        vectorizer = TfidfVectorizer(strip_accents="unicode", lowercase=True,
                                     analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        try:
            return vectorizer.fit_transform(texts).toarray()
        except ValueError:  # nothing but blanks
            return np.zeros((len(texts), 1))

    def index(self, texts: list[str]):
        """Vectors for `texts` and a function that places one more text among them without
        refitting (a similar-idea check then costs one text, not the whole board)."""
        vectorizer = TfidfVectorizer(strip_accents="unicode", lowercase=True,
                                     analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        try:  # sparse, unit-length rows: a dense copy of 500 ideas' n-grams is ~80 MB
            vectors = vectorizer.fit_transform(texts)
        except ValueError:  # nothing but blanks
            return np.zeros((len(texts), 1)), lambda text: np.zeros(1)

        def embed(text: str) -> np.ndarray:
            return vectorizer.transform([text]).toarray()[0]  # unit length (norm="l2")
        return vectors, embed

    def top_terms(self, rows: list[int], count: int = 3) -> list[str]:
        """The heaviest words of some of the texts of the last vectors() call: a name."""
        words = TfidfVectorizer(strip_accents="unicode", lowercase=True, stop_words=STOP_WORDS,
                                sublinear_tf=True)
        try:
            matrix = words.fit_transform(self._texts)
        except ValueError:
            return []
        terms = words.get_feature_names_out()
        weights = np.asarray(matrix[rows].sum(axis=0)).ravel()
        return [terms[i] for i in weights.argsort()[::-1][:count] if weights[i] > 0]
