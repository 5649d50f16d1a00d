"""Stop words for Spanish, Catalan/Valencian and English (English: scikit-learn's
ENGLISH_STOP_WORDS, BSD-3-Clause, copied so a serving process need not load scikit-learn), and
the accent folding every text goes through: words that say nothing about a theme are
dropped before TF-IDF weighs the rest, and before a theme is named."""
import unicodedata

ENGLISH_STOP_WORDS = frozenset("""
a about above across after afterwards again against all almost alone along already also
although always am among amongst amoungst amount an and another any anyhow anyone anything
anyway anywhere are around as at back be became because become becomes becoming been before
beforehand behind being below beside besides between beyond bill both bottom but by call can
cannot cant co con could couldnt cry de describe detail do done down due during each eg
eight either eleven else elsewhere empty enough etc even ever every everyone everything
everywhere except few fifteen fifty fill find fire first five for former formerly forty
found four from front full further get give go had has hasnt have he hence her here
hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in
inc indeed interest into is it its itself keep last latter latterly least less ltd made many
may me meanwhile might mill mine more moreover most mostly move much must my myself name
namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere
of off often on once one only onto or other others otherwise our ours ourselves out over own
part per perhaps please put rather re same see seem seemed seeming seems serious several she
should show side since sincere six sixty so some somehow someone something sometime
sometimes somewhere still such system take ten than that the their them themselves then
thence there thereafter thereby therefore therein thereupon these they thick thin third this
those though three through throughout thru thus to together too top toward towards twelve
twenty two un under until up upon us very via was we well were what whatever when whence
whenever where whereafter whereas whereby wherein whereupon wherever whether which while
whither who whoever whole whom whose why will with within without would yet you your yours
yourself yourselves
""".split())

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
