"""The Markdown section `make bench` appends to docs/PERFORMANCE.md, from one run's JSON.
Each case may have run several times (`--repeat`): every run gets a row, and the targets
are judged on the median of the runs, shown with their spread (lowest–highest)."""
import statistics

# (label, path in a case, digits): the figures given as a median with their spread
JUDGED = [("post→every screen p95 ms", ("collecting", "post_to_every_screen_ms", "p95"), 1),
          ("connects/s", ("connect", "connects_per_second"), 0),
          ("final tally p95 ms", ("voting", "final_tally_after_last_ack_ms", "p95"), 1),
          ("vote acks spread ms", ("voting", "acks_spread_ms"), 0),
          ("server CPU s", ("server_cpu_s",), 1),
          ("idle MB", ("memory_idle_mb",), 0),
          ("connected MB", ("memory_connected_mb",), 0),
          ("peak MB", ("server_peak_mb",), 0)]


def _get(case, *path):
    value = case
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _fmt(value, digits=0):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _ratio(a, b):
    if a is None or b is None or b <= 0 or a < 0:
        return "–"
    return f"{a / b:.2f}×"


def medians(cases) -> dict:
    """(target, N) -> {path: (median, lowest, highest, runs)} over the runs that finished."""
    runs = {}
    for c in cases:
        if "error" not in c:
            runs.setdefault((c["target"], c["attendees"]), []).append(c)
    out = {}
    for key, group in runs.items():
        figures = {}
        for _label, path, _digits in JUDGED:
            values = [v for v in (_get(c, *path) for c in group) if isinstance(v, (int, float))]
            if values:
                figures[path] = (statistics.median(values), min(values), max(values),
                                 len(values))
        out[key] = figures
    return out


def _median_cell(figure, digits) -> str:
    if not figure:
        return "–"
    median, low, high, runs = figure
    if runs == 1:
        return _fmt(float(median), digits)
    return f"{_fmt(float(median), digits)} ({_fmt(float(low), digits)}–{_fmt(float(high), digits)})"


def median_table(cases) -> list[str]:
    table = medians(cases)
    if not table:
        return []
    lines = ["", "Median of the runs of each case (lowest–highest in brackets):", "",
             "| target | N | runs | " + " | ".join(label for label, _p, _d in JUDGED) + " |",
             "|" + " --- |" * (3 + len(JUDGED))]
    for (target, n), figures in table.items():
        runs = max((f[3] for f in figures.values()), default=0)
        lines.append("| " + " | ".join([target, str(n), str(runs)] + [
            _median_cell(figures.get(path), digits) for _label, path, digits in JUDGED]) + " |")
    return lines


def _m(table, key, *path):
    figure = table.get(key, {}).get(path)
    return figure[0] if figure else None


def case_row(c) -> str:
    if "error" in c:
        return f"| {c['target']} | {c['attendees']} | failed: {c['error'][:120]} |" + " |" * 13
    vote = _get(c, "voting") or {}
    exact = f"{vote.get('screens_showing_exact_tally')}/{vote.get('screens')}"
    counted = f"{vote.get('votes_counted')}/{vote.get('accepted')}/{vote.get('voters')}"
    coll = _get(c, "collecting") or {}
    every = f"{coll.get('screens_with_every_idea')}/{coll.get('screens')}"
    return "| " + " | ".join([
        c["target"], str(c["attendees"]), _fmt(c.get("load_average_at_start"), 1),
        _fmt(_get(c, "connect", "connects_per_second"), 0),
        str(_get(c, "disconnects")),
        _fmt(_get(c, "collecting", "post_to_every_screen_ms", "p50"), 1),
        _fmt(_get(c, "collecting", "post_to_every_screen_ms", "p95"), 1),
        _fmt(_get(c, "collecting", "post_to_every_screen_ms", "p99"), 1),
        f"{_fmt(_get(c, 'collecting', 'cpu_percent', 'server'))} / "
        f"{_fmt(_get(c, 'collecting', 'cpu_percent', 'generator'))}",
        every,
        _fmt(_get(c, "voting", "final_tally_after_last_ack_ms", "p95"), 1),
        counted, exact,
        _fmt(c.get("server_cpu_s"), 1), _fmt(c.get("server_peak_mb"), 0),
    ]) + " |"


def markdown(run: dict, json_path) -> str:
    cases = run["cases"]
    v = run["versions"]
    m = run["machine"]
    s = run["settings"]
    lines = [
        f"## Run of {run['date']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Linux {m['kernel']}, "
        f"load average at start {', '.join(f'{x:.1f}' for x in m['load_average_at_start'])} "
        "(shared with other jobs). Versions: "
        + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        f"Scenario: {s['ideas']} ideas at {s['rate_per_second']}/s (at most "
        f"{s.get('deliveries_per_second', 0):.0f} deliveries/s: 1/s at 3,000), then {s['voters']} "
        f"votes at once, tallies coalesced every {s['tally_interval_s']} s; soak "
        f"{s['soak_seconds']:.0f} s at the largest crowd."
        + (f" Raw figures: `{json_path}`." if json_path else ""),
        "",
        "| target | N | machine load | connects/s | disconnects | "
        "post→every screen p50 ms | p95 ms | p99 ms | CPU % server / generator | "
        "screens with every idea | final tally p95 ms after last ack | "
        "votes counted/acked/sent | screens with exact tally | server CPU s | peak MB |",
        "|" + " --- |" * 15,
    ]
    lines += [case_row(c) for c in cases]
    lines += median_table(cases)
    table = medians(cases)
    sizes = sorted({n for (t, n) in table if t == "plenary-eventlet"})
    ratio_rows = []
    for n in sizes:
        p = ("plenary-eventlet", n)
        for base in ("flask-bare", "node"):
            b = (base, n)
            if b not in table:
                continue
            ratio_rows.append("| " + " | ".join([
                f"{n}", base,
                _ratio(_m(table, p, "collecting", "post_to_every_screen_ms", "p95"),
                       _m(table, b, "collecting", "post_to_every_screen_ms", "p95")),
                _ratio(_m(table, p, "voting", "final_tally_after_last_ack_ms", "p95"),
                       _m(table, b, "voting", "final_tally_after_last_ack_ms", "p95")),
                _ratio(_m(table, p, "voting", "acks_spread_ms"),
                       _m(table, b, "voting", "acks_spread_ms")),
                _ratio(_m(table, b, "connect", "connects_per_second"),
                       _m(table, p, "connect", "connects_per_second")),
                _ratio(_m(table, p, "server_cpu_s"), _m(table, b, "server_cpu_s")),
                _ratio(_m(table, p, "server_peak_mb"), _m(table, b, "server_peak_mb")),
            ]) + " |")
    if ratio_rows:
        lines += ["", "Plenary (eventlet) divided by each baseline, medians of the same run "
                  "(lower is better; connect time is the inverse of the connect rate):", "",
                  "| N | baseline | post→every screen p95 | final tally p95 | vote acks spread | "
                  "connect time | server CPU | peak memory |",
                  "|" + " --- |" * 8] + ratio_rows
    soak = next((c for c in cases if c.get("soak")), None)
    if soak:
        k = soak["soak"]
        lines += ["", f"Soak: {soak['attendees']} attendees on one process for {k['seconds']} s: "
                  f"{k['disconnects']} disconnects, {k['connected_at_end']} still connected, "
                  f"RSS at most {k['server_rss_mb_max']} MB, peak (VmHWM) "
                  f"{soak.get('server_peak_mb')} MB."]
    return "\n".join(lines)
