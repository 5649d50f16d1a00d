"""The Markdown section bench/flood.py appends to docs/PERFORMANCE.md, and its goals."""
from report import _fmt, _get

P95_RATIO_GOAL = 1.5
RSS_AFTER_GOAL = 1.10


def goals(case: dict) -> dict:
    base = _get(case, "baseline", "every_idea_to_every_screen_ms", "p95")
    flood = _get(case, "flood", "every_idea_to_every_screen_ms", "p95")
    mem = case.get("memory_mb") or {}
    ratio = round(flood / base, 2) if isinstance(base, float) and isinstance(flood, float) \
        else None  # "lost": more than 5 % of the honest ideas never reached every screen
    rss = round(mem["after"] / mem["before"], 3) if mem.get("before") and mem.get("after") \
        else None
    return {"p95_ratio": ratio, "p95_ratio_met": ratio is not None and ratio <= P95_RATIO_GOAL,
            "rss_after_ratio": rss, "rss_met": rss is not None and rss <= RSS_AFTER_GOAL}


def _phase_row(name: str, p: dict | None) -> str:
    if not p or "skipped" in p:
        return f"| {name} | {(p or {}).get('skipped', '–')} |" + " |" * 8
    lat = p.get("every_idea_to_every_screen_ms") or {}
    cpu = p.get("cpu_percent") or {}
    return "| " + " | ".join([
        name, _fmt(p.get("flood_seconds", p.get("seconds")), 0),
        f"{p.get('accepted')}/{p.get('ideas')}", str(lat.get("lost")),
        _fmt(lat.get("p50"), 1), _fmt(lat.get("p95"), 1), _fmt(lat.get("p99"), 1),
        _fmt(_get(p, "post_to_every_screen_ms", "max"), 1),
        f"{_fmt(cpu.get('server'))} / {_fmt(cpu.get('server_waiting_for_cpu'))} / "
        f"{_fmt(cpu.get('generator'))}",
        str(p.get("honest_disconnects")),
    ]) + " |"


def _kind_row(kind: str, k: dict) -> str:
    answered = sum(k.get(x, 0) for x in ("accepted", "refused_budget", "refused_other"))
    others = "; ".join(f"{msg} ×{n}" for msg, n in list(k.get("other_refusals", {}).items())[:3])
    return "| " + " | ".join([
        kind, str(k.get("clients")), str(k.get("sent", 0)), _fmt(k.get("sent_per_second"), 0),
        str(answered) if kind != "screen" else "never read",
        str(k.get("accepted", 0)), str(k.get("refused_budget", 0)),
        str(k.get("refused_other", 0)), str(k.get("connects", 0)),
        str(k.get("dropped_by_server", 0)),
        f"{k.get('kicked', 0)} / {k.get('rejoins', 0)}",
        f"{k.get('stalled', 0)} / {k.get('join_timeouts', 0)} / {k.get('connect_failures', 0)}",
        others or "–",
    ]) + " |"


def markdown(run: dict, json_path) -> str:
    c, m, s = run["case"], run["machine"], run["settings"]
    lines = [f"## Hostile load, run of {run['date']}", ""]
    if "error" in c and "baseline" not in c:
        return "\n".join(lines + [f"Failed: {c['error']}"])
    g = c.get("goals") or goals(c)
    mem = c.get("memory_mb") or {}
    flood = c.get("flood") or {}
    f = flood.get("flooders") or {}
    la = c.get("load_average_at_start") or m["load_average_at_start"]
    lines += [
        f"`bench/flood.py`: plenary-eventlet (wsgi.py, file SQLite), {c['attendees']} phones "
        f"and a facilitator; honest ideas at {s['rate_per_second']}/s by different phones "
        f"throughout; a workshop with {_get(c, 'seed', 'ideas')} logged changes beforehand. "
        f"Phases: baseline {s['baseline_s']:.0f} s, flood {s['flood_s']:.0f} s with "
        + ", ".join(f"{n} {k}" for k, n in c["flooders"].items())
        + f" flooders (reconnecting when dropped; silent screens ask {s['screen_rate']:g} "
        f"snapshots/s), recovery {s['recover_s']:.0f} s. Machine: {m['cpu']}, {m['cores']} "
        f"cores, load average {', '.join(f'{x:.1f}' for x in la)} at start, "
        f"{', '.join(f'{x:.1f}' for x in c.get('load_average_at_flood') or [])} when the "
        f"flood began (shared with other jobs)."
        + (f" Raw figures: `{json_path}`." if json_path else ""),
        "",
        "| phase | s | honest ideas acked/posted | ideas that never reached every screen | "
        "post→every screen p50 ms | p95 ms | p99 ms | max ms | CPU % server / server waiting for "
        "its core / generator | "
        "honest disconnects |",
        "|" + " --- |" * 10,
        _phase_row("baseline", c.get("baseline")), _phase_row("flood", flood),
        _phase_row("recovery", c.get("recovery")),
        "",
        f"**Honest p95 with flooders ÷ without: {_fmt(g['p95_ratio'], 2)}** (goal ≤ "
        f"{P95_RATIO_GOAL}: {'met' if g['p95_ratio_met'] else 'missed'}). "
        f"**Server RSS before / peak / after: {_fmt(mem.get('before'), 1)} / "
        f"{_fmt(mem.get('peak'), 1)} / {_fmt(mem.get('after'), 1)} MB**, after ÷ before "
        f"{_fmt(g['rss_after_ratio'], 3)} (goal ≤ {RSS_AFTER_GOAL}: "
        f"{'met' if g['rss_met'] else 'missed'}); VmHWM {_fmt(mem.get('vmhwm'), 1)} MB. "
        f"Server CPU {_fmt(c.get('server_cpu_s'), 1)} s over {_fmt(c.get('seconds'), 0)} s; "
        f"flooders' own CPU {_fmt(f.get('cpu_percent'), 0)} % of a core (niced, on the "
        f"generator's core). Workshop version {flood.get('workshop_versions')} before/after "
        f"the flood. Server log: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in
                                             (c.get("server_log") or {}).items()) + "."
        + (f" **Flood stopped early: {flood['aborted']}.**" if flood.get("aborted") else "")
        + (f" The server answered pages again {c['answers_pages_again_after_s']} s after the "
           "flooders stopped." if "answers_pages_again_after_s" in c else "")
        + (f" Honest phones the flood disconnected, reconnected before recovery: "
           f"{c['reconnected']['phones']} (facilitator: {c['reconnected']['facilitator']})."
           if c.get("reconnected") else "")
        + (f" **The case failed: {c['error']}.**" if c.get("error") else ""),
        "",
        "| flooder | clients | sent | sent/s | answered | accepted | refused (budget) | "
        "refused (other) | connects | dropped by server | "
        "`41` seen / rejoined on the same socket | "
        "writes stalled / joins unanswered / connects failed | other refusals |",
        "|" + " --- |" * 13,
    ]
    lines += [_kind_row(kind, k) for kind, k in (f.get("kinds") or {}).items()]
    return "\n".join(lines)
