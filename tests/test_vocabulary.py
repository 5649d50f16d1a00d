"""Phases, stakeholder kinds, horizons, text limits and change types are defined once
(app/vocabulary.py): the pages hand them to the scripts, the forms take their limits from
them, the server refuses what they do not allow, and no script keeps a copy."""
import json
import re
from pathlib import Path

import pytest

from app import vocabulary
from app.extensions import db
from app.services import changes
from app.services.errors import InvalidInput
from app.services import fields

STATIC_JS = Path(__file__).resolve().parent.parent / "static" / "js"


def page_config(html: str) -> dict:
    found = re.search(r'<script[^>]*id="plenary-config"[^>]*>(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_every_live_page_hands_the_vocabulary_to_its_scripts(app, workshop):
    http = app.test_client()
    html = http.get(f"/j/{workshop['code']}").get_data(as_text=True)
    assert page_config(html)["vocabulary"] == vocabulary.for_clients()
    # the phone's form takes its limits and kinds from the same place
    assert f'maxlength="{vocabulary.LIMITS["idea"]}"' in html
    for kind in vocabulary.STAKEHOLDER_KINDS:
        assert f'<option value="{kind}">' in html


def test_the_phase_that_groups_ideas_is_grouping():
    assert vocabulary.PHASE_ORDER == ("draft", "collecting", "grouping", "voting", "results",
                                      "closed")
    assert "clustering" not in json.dumps(vocabulary.for_clients())


@pytest.mark.parametrize("script", sorted(STATIC_JS.glob("*.js")), ids=lambda p: p.name)
def test_no_script_keeps_its_own_copy(script):
    source = script.read_text()
    assert not re.search(r'\[\s*"draft"\s*,', source), "a list of phases"
    assert '"research_education"' not in source, "a list of stakeholder kinds"
    assert not re.search(r'\[\s*"short"\s*,\s*"medium"', source), "a list of horizons"
    assert not re.search(r'maxlength:\s*"\d', source), "a text limit"
    assert not re.search(r'"idea\.posted"\s*,\s*"phase\.changed"', source), \
        "a list of change types"


def test_an_unknown_change_type_is_a_programming_error(ctx, workshop):
    with pytest.raises(ValueError, match="CHANGE_TYPES"):
        changes.record(workshop["id"], "idea.exploded", {})
    db.session.rollback()


@pytest.mark.parametrize("field, too_long", [
    (fields.IDEA, "é" * (vocabulary.LIMITS["idea"] + 1)),
    (fields.THEME_NAME, "n" * (vocabulary.LIMITS["theme_name"] + 1)),
    (fields.CONCLUSION, "c" * (vocabulary.LIMITS["conclusion"] + 1)),
    (fields.ACTION_WHAT, "w" * (vocabulary.LIMITS["action_what"] + 1)),
    (fields.ACTION_OWNER, "o" * (vocabulary.LIMITS["action_owner"] + 1)),
])
def test_each_text_field_refuses_one_character_over_its_limit(ctx, field, too_long):
    assert len(field.clean(too_long[:-1])) == field.limit
    with pytest.raises(InvalidInput, match=str(field.limit)):
        field.clean(too_long)


def test_one_closed_guard_says_what_cannot_change(ctx, workshop):
    from app.models import Workshop
    from app.services import workshops
    row = db.session.get(Workshop, workshop["id"])
    row.phase = vocabulary.CLOSED
    with pytest.raises(InvalidInput, match="reopen it to change the board"):
        workshops.require_open(row, "board")
    with pytest.raises(InvalidInput, match="^This workshop is closed.$"):
        workshops.require_open(row)
    db.session.rollback()
