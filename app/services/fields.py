"""Every field a person fills in, validated in one place.

Each kind of text (an idea, a theme name, a conclusion, an action, a title, a profile
field) is a TextField: how long it may be (vocabulary.LIMITS), whether it keeps line
breaks, whether it may be empty, and what to say when it is wrong. Every text first goes
through validation.plain_text (control characters and bidi overrides out). The other
fields (emails, web pages, colours, horizons, stakeholder kinds) are here too.
"""
import re

from flask_babel import gettext

from ..vocabulary import HORIZONS, LIMITS, N_, STAKEHOLDER_KINDS
from .errors import InvalidInput
from .validation import plain_text, shown

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEB_PAGE = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class TextField:
    """One kind of text. Messages are msgids (translated when raised); without them the
    message names the field: "The title is too long (at most 200 characters)."."""

    def __init__(self, name: str, limit: int, *, multiline: bool = False,
                 required: bool = False, optional: bool = False, collapse: bool = True,
                 not_text: str | None = None, empty: str | None = None,
                 too_long: str | None = None):
        self.name, self.limit, self.multiline = name, limit, multiline
        self.required, self.optional, self.collapse = required, optional, collapse
        self.not_text, self.empty, self.too_long = not_text, empty, too_long

    def clean(self, value) -> str:
        if value is None and self.optional:
            return ""
        if not isinstance(value, str):
            raise InvalidInput(gettext(self.not_text) if self.not_text
                               else f"Field '{self.name}' must be a string.")
        text = plain_text(self.name, value, multiline=self.multiline)
        if not self.collapse:
            text = text.strip()
        elif self.multiline:  # spaces collapsed in each line
            text = "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))
        else:
            text = " ".join(text.split())
        label = self.name.replace("_", " ")
        if self.required and not text:
            raise InvalidInput(gettext(self.empty) if self.empty
                               else f"Please fill in the {label}.")
        if len(text) > self.limit:
            raise InvalidInput(gettext(self.too_long, n=len(text), max=self.limit)
                               if self.too_long else
                               f"The {label} is too long (at most {self.limit} characters).")
        return text


IDEA = TextField(
    "text", LIMITS["idea"], multiline=True, required=True, collapse=False,
    not_text=N_("The idea must be text."), empty=N_("The idea is empty: write something first."),
    too_long=N_("The idea is too long (%(n)d characters; at most %(max)d)."))
THEME_NAME = TextField(
    "name", LIMITS["theme_name"], required=True, not_text=N_("A theme needs a name."),
    empty=N_("A theme needs a name."),
    too_long=N_("The theme name is too long (at most %(max)d characters)."))
CONCLUSION = TextField(
    "text", LIMITS["conclusion"], multiline=True, not_text=N_("The conclusion must be text."),
    too_long=N_("The conclusion is too long (%(n)d characters; at most %(max)d)."))
ACTION_WHAT = TextField(
    "what", LIMITS["action_what"], required=True,
    not_text=N_("An action item needs a text: what should be done?"),
    empty=N_("An action item needs a text: what should be done?"),
    too_long=N_("The action is too long (at most %(max)d characters)."))
ACTION_OWNER = TextField(
    "owner", LIMITS["action_owner"], optional=True, not_text=N_("The owner must be text."),
    too_long=N_("The owner is too long (at most %(max)d characters)."))
EVENT_TITLE = TextField("title", LIMITS["event_title"], required=True)
WORKSHOP_TITLE = TextField("title", LIMITS["workshop_title"], required=True)
WORKSHOP_QUESTION = TextField("question", LIMITS["workshop_question"], multiline=True,
                              optional=True)
RECURRING_NAME = TextField("name", LIMITS["theme_name"])


def profile_field(name: str) -> TextField:
    limit = LIMITS["profile_contact"] if name == "contact" else LIMITS["profile_field"]
    return TextField(name, limit)


def is_email(text: str) -> bool:
    return bool(EMAIL.match(text)) and len(text) <= LIMITS["email"]


def is_web_page(text: str) -> bool:
    return bool(WEB_PAGE.match(text))


def email(value) -> str:
    """An email as typed in a form: cleaned, trimmed, lower case ("" for anything else);
    whether it is a valid address is up to the caller (is_email), whose message differs."""
    return plain_text("email", value).strip().lower() if isinstance(value, str) else ""


def colour(value) -> str:
    if not isinstance(value, str) or not COLOUR.match(value):
        raise InvalidInput(gettext("The colour must look like #1f4fd1."))
    return value.lower()


def horizon(value) -> str:
    if not isinstance(value, str) or value not in HORIZONS:
        raise InvalidInput(gettext("Unknown horizon '%(h)s'. Use short (within a year), medium "
                                   "(1–3 years) or long (over 3 years).", h=shown(value)))
    return value


def stakeholder_kind(value: str) -> str:
    if value not in STAKEHOLDER_KINDS:
        raise InvalidInput(gettext("Unknown stakeholder kind '%(kind)s'. Use one of: %(kinds)s.",
                                   kind=value, kinds=", ".join(STAKEHOLDER_KINDS)))
    return value
