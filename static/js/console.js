/* Facilitator console: phases (keys 1-6), vote settings, the live ideas with counts, and the
 * layout: which part is the main area (follows the phase; the facilitator may switch) and
 * the side panel, folded away on a laptop screen. */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t;
  var config = P.readConfig();
  var $ = function (id) { return document.getElementById(id); };
  var PHASES = P.vocabulary().phases;
  var render = P.scheduler(draw);
  var lastCount = null, lastPhase = null;
  var VIEWS = { draft: "ideas", collecting: "ideas", grouping: "board", voting: "board",
                results: "outcomes", closed: "outcomes" };
  var drawBoard = null, outcomes = null;
  /* Only a change to what the board, lists and settings show redraws them: not someone
     joining (presence), not a command waiting in the outbox, not an answer that changes
     nothing. A redraw replaces the cards, and a click in the middle of one is lost. */
  var stale = true;
  var live = P.connect(config, {
    onChange: function (state, reason) {
      if (reason !== "presence" && reason !== "queued" && reason !== "ack") stale = true;
      render();
      if (outcomes) outcomes.changed(reason);
    },
    onAck: function (entry, ack) {
      if (!ack.ok || entry.event === "idea.post") stale = true;  // a refused move goes back
      if (entry.event === "phase.set") $("phase-error").textContent = ack.ok ? "" : ack.error;
      if (/^(theme|idea|board)\./.test(entry.event) && !ack.ok) $("announcer").textContent = ack.error;
      if (/^clock\./.test(entry.event)) $("clock-error").textContent = ack.ok ? "" : ack.error;
      if (entry.event === "settings.update") {
        $("settings-msg").textContent = ack.ok ? t("saved") : ack.error;
        $("settings-msg").className = ack.ok ? "muted" : "error";
      }
    }
  });

  function setPhase(phase) {
    if (live.state.workshop && live.state.workshop.phase === phase) return;
    live.send("phase.set", { phase: phase });
  }

  function draw() {
    var s = live.state;
    var conn = $("conn");
    conn.textContent = s.error ? s.error : t(s.online && s.joined ? "connected" : "reconnecting");
    conn.classList.toggle("is-online", s.online && s.joined);
    if (!s.workshop) return;
    $("stat-people").textContent = s.connected;
    if (!stale) return;
    stale = false;
    if (s.workshop.phase !== lastPhase) { lastPhase = s.workshop.phase; showView(VIEWS[lastPhase] || "board"); }
    drawBoard(s);
    outcomes.draw(s);
    document.querySelectorAll("#phase-buttons [data-phase]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.phase === s.workshop.phase));
    });
    var ideas = P.visible(s.ideas, true);
    var order = $("sort").value;
    ideas = order === "votes" ? P.ranked(s.ideas) : ideas.sort(function (a, b) { return b.id - a.id; });
    var list = $("ideas");
    list.textContent = "";
    var total = 0;
    ideas.forEach(function (idea) {
      total += idea.votes;
      list.appendChild(el("li", {}, [el("span", { class: "count", text: String(idea.votes) }),
        el("bdi", { class: "text", text: idea.text })]));
    });
    $("no-ideas").hidden = ideas.length > 0;
    drawQueue(s);
    $("reveal").hidden = !s.workshop.hide_until_reveal;
    $("stat-ideas").textContent = ideas.length;
    $("stat-votes").textContent = total;
    if (lastCount !== null && ideas.length > lastCount) $("announcer").textContent = t("new_ideas", { n: ideas.length - lastCount });
    lastCount = ideas.length;
    var active = document.activeElement;
    if (!active || !$("settings").contains(active)) {
      $("budget").value = s.workshop.vote_budget;
      $("cap").value = s.workshop.vote_cap;
      $("premoderation").checked = !!s.workshop.premoderation;
      $("hide-until-reveal").checked = !!s.workshop.hide_until_reveal;
      $("vote-on").value = s.workshop.vote_on || "ideas";
    }
  }

  /* Pre-moderation: ideas waiting for approval, with Approve and Delete. */
  function drawQueue(s) {
    var queued = Array.from(s.ideas.values()).filter(function (i) { return i.approved === false && !i.deleted; });
    $("queue").hidden = queued.length === 0;
    $("queue-title").textContent = t("queue", { n: queued.length });
    var list = $("queue-list");
    list.textContent = "";
    queued.forEach(function (idea) {
      var ok = el("button", { class: "btn btn-small btn-primary", type: "button", text: t("approve") });
      var no = el("button", { class: "btn btn-small btn-danger", type: "button", text: t("delete") });
      ok.addEventListener("click", function () { live.send("idea.approve", { idea_id: idea.id }); });
      no.addEventListener("click", function () { live.send("idea.delete", { idea_id: idea.id }); });
      list.appendChild(el("li", {}, [el("bdi", { class: "text", text: idea.text }), ok, no]));
    });
  }

  document.querySelectorAll("#phase-buttons [data-phase]").forEach(function (b) {
    b.addEventListener("click", function () { setPhase(b.dataset.phase); });
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("[role=listbox], [role=menu]")) return;  // a card's menu
    var index = "123456".indexOf(event.key);
    if (index >= 0) { event.preventDefault(); setPhase(PHASES[index]); }
  });
  $("settings").addEventListener("submit", function (event) {
    event.preventDefault();
    var budget = parseInt($("budget").value, 10), cap = parseInt($("cap").value, 10);
    if (isNaN(budget) || isNaN(cap)) { $("settings-msg").textContent = t("whole_numbers"); return; }
    $("settings-msg").textContent = t("saving");
    live.send("settings.update", { vote_budget: budget, vote_cap: cap, premoderation: $("premoderation").checked,
                                      hide_until_reveal: $("hide-until-reveal").checked,
                                      vote_on: $("vote-on").value });
  });
  $("sort").addEventListener("change", function () { stale = true; render(); });
  $("reveal").addEventListener("click", function () { live.send("ideas.reveal", {}); });
  P.mountClock(live, $("clock"));
  $("clock-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var minutes = parseInt($("clock-minutes").value, 10);
    if (isNaN(minutes)) { $("clock-error").textContent = t("whole_numbers"); return; }
    live.send("clock.start", { seconds: minutes * 60, advance: $("clock-advance").checked });
  });
  document.querySelectorAll("[data-clock]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-clock");
      live.send("clock." + action, action === "extend" ? { seconds: 60 } : {});
    });
  });

  /* The main area: the ideas, the board or the outcomes first; the ideas list moves into the
     side panel while it is not the main area. */
  function showView(view) {
    var console_ = $("console"), panel = $("ideas-panel");
    ["ideas", "board", "outcomes"].forEach(function (v) { console_.classList.toggle("view-" + v, v === view); });
    document.querySelectorAll(".view-switch [data-view]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.view === view));
    });
    var home = view === "ideas" ? $("console-main") : $("console-side");
    if (panel.parentNode !== home) {
      if (view === "ideas") home.insertBefore(panel, home.firstChild); else home.appendChild(panel);
    }
  }
  document.querySelectorAll(".view-switch [data-view]").forEach(function (b) {
    b.addEventListener("click", function () { showView(b.dataset.view); });
  });

  /* The side panel: open on a wide screen, folded on a laptop; the facilitator's choice is
     remembered in this browser. */
  function showPanel(open, remember) {
    $("console").classList.toggle("side-closed", !open);
    $("panel-toggle").setAttribute("aria-expanded", String(open));
    if (remember) { try { localStorage.setItem("plenary.console.panel", open ? "open" : "closed"); } catch (e) { /* private mode */ } }
  }
  var remembered = null;
  try { remembered = localStorage.getItem("plenary.console.panel"); } catch (e) { /* private mode */ }
  showPanel(remembered ? remembered === "open" : window.innerWidth >= 1400, false);
  $("panel-toggle").addEventListener("click", function () {
    showPanel($("console").classList.contains("side-closed"), true);
  });
  drawBoard = P.Board.mount(live, $("board"));
  outcomes = P.Outcomes.mount(live, $("outcomes"));
  P.ProjectorControls.mount(live, $("projector-controls"));
  render();
})();
