"""Synthetic roadmap dicts (the contract in docs/EXPORTS.md) of any size, for the export
builders' tests and the benchmark: realistic names, and the awkward text attendees type."""
import random

AWKWARD = "Nöel’s €5 — ‘quotes’ 🚀 中文 عربي \u0000 \t"
LONG_WORD = "x" * 500
KINDS = ["company", "cluster", "public_authority", "research_education", "other"]
REGIONS = ["Comunitat Valenciana", "Basque Country", "Île-de-France", "Baden-Württemberg",
           "Łódzkie", "Noord-Brabant", "Lombardia", "Norte", "Southern Finland", "Attiki"]
ORGS = ["AVAESEN", "Tecnalia", "Fraunhofer IWU", "Brainport Development", "Business Finland",
        "=HYPERLINK(\"http://evil\")", "Clúster de Energía", "Région Île-de-France"]
THEMES = ["Skills and talent", "Hydrogen valleys", "Shared testbeds", "Public procurement",
          "Data spaces", "Circular value chains", "Access to finance", "Digital twins"]
WORDS = ("joint regional cluster skills programme hydrogen testbed procurement SMEs data "
         "pilot interregional value chain funding Horizon Europe €2 million — platform "
         "partnership investment observatory mentoring").split()
HORIZON_CODES = ["short", "medium", "long"]
ROOMS = ["Interregional value chains", "Green public procurement", "Digital SMEs",
         "Energy communities", "Talent attraction", "Blue economy"]


def _segments(rng, backers):
    kinds, left = {}, backers
    for kind in KINDS:
        n = rng.randint(0, left) if kind != "other" else rng.randint(0, left // 2)
        if n:
            kinds[kind] = n
            left -= n
    regions = {r: rng.randint(1, 6) for r in rng.sample(REGIONS, min(backers, rng.randint(0, 6)))}
    regions = dict(sorted(regions.items(), key=lambda kv: -kv[1]))
    return {"backers": backers, "kinds": kinds, "regions": regions}


def _action(n, horizon, about, workshop_id, title, owner="AVAESEN with Tecnalia"):
    return {"id": n, "what": f"Launch action {n}: a joint skills observatory", "owner": owner,
            "horizon": horizon, "about": about, "workshop_id": workshop_id, "workshop": title}


def workshop(ideas=12, themes=3, votes=None, draft=True, public=False, awkward=True,
             workshop_id=3, title="Interregional value chains", seed=1):
    """A workshop-scope roadmap dict with `ideas` ideas, `themes` themes and about `votes`
    dots (default 10 per idea)."""
    rng = random.Random(seed)
    votes = ideas * 10 if votes is None else votes
    tally = sorted((rng.randint(0, 2 * votes // max(ideas, 1)) for _ in range(ideas)),
                   reverse=True)
    theme_ids = list(range(100 * workshop_id + 1, 100 * workshop_id + 1 + themes))
    names = [THEMES[t % len(THEMES)] + ("" if t < len(THEMES) else f" {t}")
             + (" — Nöel’s €" if awkward and t == 0 else "") for t in range(themes)]
    idea_list, rank, previous = [], 0, None
    for n, dots in enumerate(tally, start=1):
        if dots != previous:
            rank, previous = n, dots
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 40))).capitalize()
        if awkward and n == 1:
            text = f"{AWKWARD} idea <b>bold</b> | pipe *star* [link](x) # =1+1"
        if awkward and n == 2:
            text = f"A very long word {LONG_WORD} ends here"
        theme_id = theme_ids[n % themes] if themes and n % 5 else None
        idea_list.append({
            "rank": rank, "id": 1000 * workshop_id + n, "text": text, "votes": dots,
            "created_at": "2026-11-24T09:%02d:00Z" % (n % 60),
            "theme_id": theme_id,
            "theme": names[theme_ids.index(theme_id)] if theme_id else None,
            "also_said": ["Same idea, said again — by Ana"] if n == 3 else [],
            "segments": _segments(rng, min(dots, 30)), "conclusion": "", "actions": []})
    theme_list = []
    for t, theme_id in enumerate(theme_ids):
        members = [i for i in idea_list if i["theme_id"] == theme_id]
        name = names[t]
        about = {"kind": "theme", "id": theme_id, "name": name}
        theme_list.append({
            "rank": 0, "id": theme_id, "name": name, "colour": "#146c2e",
            "votes": sum(i["votes"] for i in members),
            "segments": _segments(rng, min(30, sum(i["votes"] for i in members))),
            "conclusion": ("The room agreed that regions should pool their training budgets "
                           "and open their testbeds to each other’s SMEs — starting with €5 "
                           "million of vouchers.") if t % 2 == 0 else "",
            "actions": [_action(workshop_id * 100 + t * 3 + h, HORIZON_CODES[h], about,
                                workshop_id, title, owner="" if h == 2 else "AVAESEN")
                        for h in range(t % 3 + 1)],
            "idea_ids": [i["id"] for i in members],
            "history": [
                {"at": "2026-11-24T10:05:00Z", "text": f"Theme “{name}” created"},
                {"at": "2026-11-24T10:07:00Z", "text": "“Shared testbeds” moved into " + name},
                {"at": "2026-11-24T10:09:00Z", "text": "Renamed from “Talent” (undone)"}]})
    theme_list.sort(key=lambda t: (-t["votes"], -t["segments"]["backers"]))
    for n, theme in enumerate(theme_list, start=1):
        theme["rank"] = n
    if idea_list:
        top = idea_list[0]
        top["conclusion"] = "Worth a pilot in two regions."
        top["actions"] = [_action(workshop_id * 100 + 99, "medium",
                                  {"kind": "idea", "id": top["id"], "name": top["text"]},
                                  workshop_id, title)]
    grouped = {h: [] for h in HORIZON_CODES}
    for item in [a for t in theme_list for a in t["actions"]] + [
            a for i in idea_list for a in i["actions"]]:
        grouped[item["horizon"]].append(item)
    people = max(len(idea_list), 1) * 2 // 3
    return {
        "schema": "plenary.roadmap", "schema_version": 2, "scope": "workshop",
        "draft": draft, "public": public, "generated_at": "2026-11-24T17:00:00Z",
        "personal_data_erased": False,
        "event": {"id": 1, "title": "Grow your Region 2026 — Nöel’s €", "date": "2026-11-24"},
        "workshop": {"id": workshop_id, "title": title,
                     "question": "How can clusters multiply the connections between value "
                                 "chains across Europe’s regions?",
                     "code": "K7QXPM", "phase": "results" if not draft else "voting",
                     "date": "2026-11-24", "vote_on": "ideas", "vote_budget": 5,
                     "vote_cap": 1},
        "participation": {
            "people": people, "contributors": people // 2, "voters": people,
            "ideas": len(idea_list), "votes": sum(tally),
            "organisations": [] if public else ORGS,
            "kinds": {"company": 14, "cluster": 6, "public_authority": 3},
            "regions": {"Comunitat Valenciana": 12, "Basque Country": 4, "Île-de-France": 1}},
        "themes": theme_list, "ideas": idea_list, "actions": grouped,
        "history": [{"id": 1, "actor": "facilitator:3", "kind": "theme.created", "before": {},
                     "after": {"id": theme_ids[0] if theme_ids else 1, "name": "Skills"},
                     "at": "2026-11-24T10:05:00Z", "undone": False}],
    }


def empty_workshop(**kw):
    return workshop(ideas=0, themes=0, **kw)


WORKSHOP_ONLY = ("schema", "schema_version", "scope", "public", "generated_at",
                 "personal_data_erased", "event")


def event(workshops=3, ideas=12, themes=3, votes=None, draft=True, public=False, awkward=True):
    rooms = [workshop(ideas=ideas, themes=themes, votes=votes, draft=draft, public=public,
                      awkward=awkward, workshop_id=n,
                      title=ROOMS[(n - 1) % len(ROOMS)] + (f" {n}" if n > len(ROOMS) else ""),
                      seed=n)
             for n in range(1, workshops + 1)]
    timeline = {h: [a for r in rooms for a in r["actions"][h]] for h in HORIZON_CODES}
    recurring = []
    if len(rooms) >= 2 and rooms[0]["themes"] and rooms[1]["themes"]:
        pair = [rooms[0]["themes"][0], rooms[1]["themes"][0]]
        recurring.append({
            "id": 1, "name": "Skills and talent", "votes": sum(t["votes"] for t in pair),
            "backers": sum(t["segments"]["backers"] for t in pair),
            "themes": [{"workshop_id": r["workshop"]["id"], "workshop": r["workshop"]["title"],
                        "theme_id": t["id"], "name": t["name"], "votes": t["votes"],
                        "backers": t["segments"]["backers"], "conclusion": t["conclusion"]}
                       for r, t in zip(rooms, pair, strict=False)]})
    total = lambda key: sum(r["participation"][key] for r in rooms)  # noqa: E731
    return {
        "schema": "plenary.roadmap", "schema_version": 2, "scope": "event",
        "draft": draft, "public": public, "generated_at": "2026-11-24T17:00:00Z",
        "personal_data_erased": False,
        "event": {"id": 1, "title": "Grow your Region 2026 — Nöel’s €", "date": "2026-11-24"},
        "participation": {"workshops": len(rooms), "people": total("people"),
                          "contributors": total("contributors"), "voters": total("voters"),
                          "ideas": total("ideas"), "votes": total("votes"),
                          "organisations": [] if public else ORGS,
                          "kinds": {"company": 40, "cluster": 18, "public_authority": 9},
                          "regions": {"Comunitat Valenciana": 30, "Basque Country": 10}},
        "where": [{"workshop_id": r["workshop"]["id"], "workshop": r["workshop"]["title"],
                   "people": r["participation"]["people"], "kinds": r["participation"]["kinds"],
                   "regions": r["participation"]["regions"]} for r in rooms],
        "timeline": timeline, "recurring_themes": recurring,
        "workshops": [{k: v for k, v in r.items() if k not in WORKSHOP_ONLY} for r in rooms],
    }


SAMPLE_IDEAS = [
    ("Pool regional training budgets into one interregional skills academy", 0),
    ("Open our testbeds to SMEs from partner regions with €5,000 vouchers", 1),
    ("A shared hydrogen valley roadmap for the Mediterranean corridor", 2),
    ("Joint pre-commercial procurement for green public transport", 3),
    ("Map who supplies whom across our value chains — a living database", 0),
    ("Twin cluster managers for six months: learn how the other region works", 0),
    ("One data space for industrial symbiosis: waste heat, by-products, water", 2),
    ("Fast-track Horizon Europe consortia between clusters that already trust each other", 1),
]


def sample_workshop(draft=False):
    """A small roadmap with real-sounding content, for screenshots and demos."""
    d = workshop(ideas=len(SAMPLE_IDEAS), themes=3, draft=draft, awkward=False, seed=7)
    names = ["Skills and talent", "Shared testbeds", "Hydrogen and energy"]
    ids = [t["id"] for t in sorted(d["themes"], key=lambda t: t["id"])]
    for idea, (text, theme) in zip(d["ideas"], SAMPLE_IDEAS, strict=True):
        idea.update(text=text, theme_id=ids[theme] if theme < 3 else None,
                    theme=names[theme] if theme < 3 else None)
    for theme in d["themes"]:
        theme["name"] = names[ids.index(theme["id"])]
        theme["idea_ids"] = [i["id"] for i in d["ideas"] if i["theme_id"] == theme["id"]]
        theme["votes"] = sum(i["votes"] for i in d["ideas"] if i["theme_id"] == theme["id"])
        for action in theme["actions"]:
            action["about"]["name"] = theme["name"]
        for entry, text in zip(theme["history"], [
                f"Theme “{theme['name']}” created", "Two ideas moved in", "Renamed"], strict=True):
            entry["text"] = text
    d["themes"].sort(key=lambda t: -t["votes"])
    for rank, theme in enumerate(d["themes"], start=1):
        theme["rank"] = rank
    d["themes"][0]["colour"], d["themes"][1]["colour"] = "#1f4fd1", "#8a5300"
    d["event"]["title"] = "Grow your Region 2026"
    d["participation"].update(people=41, contributors=30, voters=38, organisations=[
        "AVAESEN", "Tecnalia", "Fraunhofer IWU", "Brainport Development", "Clúster de Energía"])
    whats = iter(["Launch a joint skills observatory", "Exchange trainers between academies",
                  "Publish a shared testbed catalogue", "Voucher pilot with 20 SMEs",
                  "Cross-border testbed access agreement", "Hydrogen valley partnership",
                  "Corridor investment plan", "Pilot the academy in two regions"])
    for item in [a for t in d["themes"] for a in t["actions"]] + d["ideas"][0]["actions"]:
        item["what"] = next(whats, item["what"])
    return d
