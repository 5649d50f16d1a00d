"""Stop words for Spanish, Catalan/Valencian and English (English from scikit-learn), and
the accent folding every text goes through: words that say nothing about a theme are
dropped before TF-IDF weighs the rest, and before a theme is named."""
import unicodedata

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

SPANISH = """
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bien cada casi
como con contra cual cuales cualquier cuando cuanto de del desde donde dos durante e el ella
ellas ellos en entonces entre era eran es esa esas ese eso esos esta estaba estado estan
estar estas este esto estos fue fueron ha haber habia han hace hacen hacer hacia hasta hay
la las le les lo los mas me menos mi mis mismo misma mucho muchos muy nada ni no nos nosotros
nuestra nuestro nuestros o os otra otras otro otros para pero poco poder podria por porque
pues que quien se sea ser si sido siempre sin sino sobre solo son su sus tambien tan tanto
te tener tiene tienen todas todo todos tu tus un una unas uno unos usted y ya deberia
deberian puede pueden vez veces cosa cosas asi hay seria deben debe
"""
CATALAN = """
a al als amb aquell aquella aquelles aquells aquest aquesta aquestes aquests aci aixi aixo
alguna algunes algun alguns als altra altre altres aquells cada com contra d de del dels des
desde despres dins durant el ella elles ells els em en entre era eren es esta estan estar
et fa fan fer fins ha han hauria haurien hem hi ho i jo la les li llur lo mes meu mi molt
molta moltes molts ne ni no nos nosaltres o on per pero perque poc pot poden pel pels que
qui s sa se seu seua seus seues ser si sobre sols son sense sino sota su tambe tant te tenen
tenir teu tot tota totes tots tu un una unes uns va van vosaltres ja l n m t ara encara
sempre deu deuen cal
"""
# Words every workshop idea is made of, in all three languages: they name no theme.
WORKSHOP = """
need needs make better new more idea ideas please should could would
necesitamos necesita mejor mejores nuevo nueva nuevos nuevas idea ideas favor
necessitem necessita millor millors nou nova nous noves
"""


def fold(text: str) -> str:
    """Lower case without accents (phones often drop them): "Energía" -> "energia"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(w) for w in (
    set(ENGLISH_STOP_WORDS) | set(SPANISH.split()) | set(CATALAN.split()) |
    set(WORKSHOP.split())))
