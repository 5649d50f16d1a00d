"""Languages: English, Spanish, Catalan/Valencian (Flask-Babel, catalogues in app/translations).

The language is chosen by ?lang=xx (remembered in the session, so the switcher sticks),
else by the browser's Accept-Language. Socket events use the handshake's request, so error
acks come in the same language as the page. Attendees' own text is never translated.
"""
from flask import request, session
from flask_babel import Babel, get_locale
from flask_babel import gettext as _

from . import vocabulary

LANGUAGES = {"en": "English", "es": "Español", "ca": "Català / Valencià"}
babel = Babel()


def select_locale() -> str:
    if not request:
        return "en"
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(list(LANGUAGES), default="en")


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def languages():
        return {"LANGUAGES": LANGUAGES, "current_language": str(get_locale() or "en"),
                "vocabulary": vocabulary}


_JS_STRINGS: dict[str, dict] = {}


def js_strings() -> dict:
    """Every string the page scripts show, in the page's language ({name} = placeholder).
    Built once per language and process (the catalogues do not change while serving: a
    join page no longer translates some 250 strings on every load). Do not modify it."""
    language = str(get_locale() or "en")
    strings = _JS_STRINGS.get(language)
    if strings is None:
        strings = _JS_STRINGS[language] = _all_js_strings()
    return strings


def _all_js_strings() -> dict:
    return {
        "phase.draft": _("Not started yet"), "phase.collecting": _("Collecting ideas"),
        "phase.grouping": _("Grouping into themes"),
        "phase.voting": _("Voting"), "phase.results": _("Results"), "phase.closed": _("Closed"),
        "banner.draft": _("The workshop has not started yet"),
        "banner.draft.hint": _("Ideas open when the facilitator starts."),
        "banner.collecting": _("Post your ideas"),
        "banner.collecting.hint": _("One idea per message. They appear on the big screen."),
        "banner.grouping": _("The ideas are being grouped into themes"),
        "banner.grouping.hint": _("Watch the big screen; voting comes next."),
        "banner.voting": _("Vote for the ideas you support"),
        "banner.voting.hint": _("Tap + to give a vote, − to take it back."),
        "banner.results": _("Results"),
        "banner.results.hint": _("Thank you! Here is the ranking."),
        "banner.closed": _("This workshop is closed"),
        "banner.closed.hint": _("Thank you for taking part."),
        "sending": _("Sending…"), "waiting": _("Waiting for connection…"),
        "saved_mine": _("✓ Yours, saved"), "saved_toast": _("Your idea was saved."),
        "votes_left": _("{left} of {budget} votes left"),
        "cap_note": _("up to {cap} on one idea"),
        "vote_one": _("{n} vote"), "vote_many": _("{n} votes"),
        "vote_for": _("Vote for: {text}"), "take_back": _("Take back a vote from: {text}"),
        "my_votes": _("Your votes on this idea: {n}"),
        # why "+" cannot be used (the same words as the server's refusal, services/voting.py)
        "votes_spent": _("You have used all {n} of your votes. "
                         "Take one back to vote for another idea."),
        "cap_one": _("You have already voted for this idea (one vote per idea)."),
        "cap_many": _("You have already put {n} votes on this idea, the most allowed per idea."),
        "new_ideas": _("{n} new idea(s)"),
        "empty_idea": _("The idea is empty: write something first."),
        "long_idea": _("The idea is too long (at most 500 characters)."),
        "saving": _("Saving…"), "saved": _("Saved."),
        "more_idea": _("+ {n} more idea on your phones"),
        "more_ideas": _("+ {n} more ideas on your phones"),
        "person_connected": _("person connected"), "people_connected": _("people connected"),
        "connected": _("Connected"), "reconnecting": _("Reconnecting…"),
        "whole_numbers": _("Enter whole numbers."),
        "not_placed": _("Not placed yet"), "move_to": _("Move to…"),
        "move_idea": _("Move the idea: {text}"), "merge": _("Merge…"),
        "merge_here": _("Merge here"), "also_said": _("Also said as:"),
        "theme_name": _("Theme name"), "theme_colour": _("Colour of {name}"),
        "delete_theme": _("Delete the theme {name}"),
        "theme_left": _("Move the theme {name} left"),
        "theme_right": _("Move the theme {name} right"),
        "history": _("History"), "undone": _("undone"),
        "undo_next": _("Undo: {action}"), "redo_next": _("Redo: {action}"),
        "nothing_to_undo": _("Nothing to undo"), "nothing_to_redo": _("Nothing to redo"),
        "undone_action": _("Undone: {action}"), "redone_action": _("Redone: {action}"),
        "moderate": _("Moderate…"), "moderate_idea": _("Moderate the idea: {text}"),
        "pin": _("Pin to the top"), "unpin": _("Unpin"), "hide": _("Hide from the room"),
        "unhide": _("Show to the room"), "edit": _("Edit the text"), "delete": _("Delete"),
        "save": _("Save"),
        "kept_existing": _("Thanks: the idea is already on the board."),
        "awaiting": _("Sent: waiting for the facilitator's approval"),
        "approve": _("Approve"), "queue": _("Waiting for approval ({n})"),
        "suggest_into": _("→ {theme}"), "suggest_new": _("New theme: {name}"),
        "accept": _("Accept"), "reject": _("Reject"), "no_suggestions": _("No suggestions."),
        "put_in": _("Put in {theme}"), "dismiss_hint": _("Dismiss the suggestion {theme}"),
        "hidden_note": _("Hidden from the room"),
        # what the workshop concluded (results.js, outcomes.js)
        "support.none": _("No votes yet"),
        "support.by": _("Supported by {who}"),
        "support.by_from": _("Supported by {who} from {regions}"),
        "list_and": _("{list} and {last}"),
        "kind.company.one": _("{n} company"), "kind.company.many": _("{n} companies"),
        "kind.cluster.one": _("{n} cluster organisation"),
        "kind.cluster.many": _("{n} cluster organisations"),
        "kind.public_authority.one": _("{n} public authority"),
        "kind.public_authority.many": _("{n} public authorities"),
        "kind.research_education.one": _("{n} research or education body"),
        "kind.research_education.many": _("{n} research and education bodies"),
        "kind.other.one": _("{n} other organisation"),
        "kind.other.many": _("{n} other organisations"),
        "support.people.one": _("{n} person"), "support.people.many": _("{n} people"),
        "support.others.one": _("{n} other person"), "support.others.many": _("{n} others"),
        "support.regions.one": _("{n} region"), "support.regions.many": _("{n} regions"),
        "horizon.short": _("Short term (within a year)"),
        "horizon.medium": _("Medium term (1–3 years)"),
        "horizon.long": _("Long term (over 3 years)"),
        "horizon": _("Horizon"), "conclusion": _("Conclusion"),
        "save_conclusion": _("Save conclusion"),
        "changed_elsewhere": _("Another facilitator changed this conclusion; saving replaces "
                               "their text."),
        "actions": _("Action items"), "no_actions": _("No action items yet."),
        "what": _("What"), "owner": _("Who owns it"),
        "owner_hint": _("an organisation, a cluster, a region"),
        "add_action": _("Add action"), "edit_short": _("Edit"),
        "empty_action": _("Write what should be done first."),
        "edit_action": _("Edit the action: {what}"),
        "delete_action": _("Delete the action: {what}"), "cancel": _("Cancel"),
        "owned_by": _("Owner: {owner}"), "idea_label": _("Idea"),
        "more_themes": _("+ {n} more on your phones"),
        "more_action": _("+ {n} more action"), "more_actions": _("+ {n} more actions"),
        "no_matches": _("No one to introduce yet: matches appear once people from other "
                        "regions who opted in backed the same themes."),
        "shared_themes": _("You both backed: {themes}"),
        "region_needed": _("Give your region: matches are with people from other regions."),
        "contact_needed": _("Give a contact (email or web page) so the people you are "
                            "matched with can reach you."),
        "open_profile": _("Open “About you”"),
        "opt_in_first": _("Opt in under “About you” to be introduced to people from other "
                          "regions who backed the same themes."),
        # the projector's pages and the console's Projector card (screen.js,
        # projector-controls.js)
        "page_of": _("Page {page} of {pages}"), "continued": _("{name} (continued)"),
        "idea_one": _("{n} idea"), "idea_many": _("{n} ideas"), "more_n": _("+ {n} more"),
        "rank_n": _("#{n}"),
        "projector_page": _("Projector page: {page}"),
        "spotlight_idea": _("Idea number to spotlight"),
        "no_idea_number": _("No idea has that number."),
        # bilateral meetings (static/js/meetings.js)
        "mt.request": _("Request a meeting"), "mt.send": _("Send request"),
        "mt.message": _("A short message (optional)"),
        "mt.message_for": _("Message to {name}"),
        "mt.accept": _("Accept"), "mt.decline": _("Decline"), "mt.withdraw": _("Withdraw"),
        "mt.accept_earliest": _("Accept: the earliest time free for you and {name}"),
        "mt.choose_time": _("Choose a time"), "mt.time": _("Time"),
        "mt.accept_at": _("Accept at this time"),
        "mt.no_common_slot": _("You have no free time in common left."),
        "mt.cancel_meeting": _("Cancel meeting"), "mt.block": _("Block and report"),
        "mt.block_confirm": _("Block {name}? You will get no more requests from them and the "
                              "organiser is told."),
        "mt.cancel_confirm": _("Cancel the meeting with {name}? Its slot becomes free."),
        "mt.asks": _("{name} asks to meet you"), "mt.waiting": _("Waiting for {name}'s answer"),
        "mt.declined": _("Declined"), "mt.cancelled": _("Cancelled"),
        "mt.removed": _("Removed by the organiser"),
        "mt.at": _("{when} · {table}"), "mt.workshop": _("Workshop"),
        "mt.with": _("Meeting with {name}"),
        "mt.requested_live": _("New meeting request from {name}."),
        "mt.accepted_live": _("Meeting confirmed with {name}: {when}, {table}."),
        "mt.changed_live": _("A meeting request changed: {name}."),
        "mt.sent": _("Request sent."), "mt.requested_already": _("Request sent"),
        "mt.meeting_booked": _("Meeting booked"),
        "mt.no_people": _("Nobody found: try another search."),
        "mt.suggested": _("Suggested: you backed the same themes"),
        "mt.their_themes": _("Backed: {themes}"),
        "mt.closed": _("Meetings are closed: the event's meeting slots are over."),
        "mt.not_open": _("The organiser has not opened meetings yet."),
        "mt.slots_left": _("Meetings are {minutes} minutes long, at a table the app assigns."),
        "mt.list": _("List our meeting in the public roadmap (both must agree)"),
        "mt.other_listed": _("{name} agreed to list it."),
        "mt.other_not_listed": _("{name} has not agreed to list it: only counted."),
    }
