/* Phone page: post ideas, spend dots, see the live list. State comes from realtime.js. */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t;
  var config = P.readConfig();
  var LIMITS = P.vocabulary().limits;
  var mineKey = "plenary.mine." + config.workshopId;
  var mine = new Set(P.load(mineKey, []));
  var awaitingKey = "plenary.awaiting." + config.workshopId;
  var awaiting = P.load(awaitingKey, {});  // my ideas waiting for the facilitator's approval
  var $ = function (id) { return document.getElementById(id); };
  var lastIdeaCount = null;
  var render = P.scheduler(draw);

  var results = null;
  var live = P.connect(config, {
    onChange: function (state, reason) { render(); if (results) results.changed(reason); },
    onAck: function (entry, ack) {
      if (entry.event === "idea.post") {
        if (ack.ok) {
          mine.add(ack.idea.id);
          P.save(mineKey, Array.from(mine));
          if (ack.idea.approved === false) { awaiting[ack.idea.id] = ack.idea.text; P.save(awaitingKey, awaiting); }
          announce(t(ack.idea.approved === false ? "awaiting" : "saved_toast"));
        }
        else showError("post-error", ack.error);
      } else if (entry.event === "vote.cast" || entry.event === "vote.retract") {
        var key = entry.fields.theme_id !== undefined ? "theme" + entry.fields.theme_id
          : "idea" + entry.fields.idea_id;
        if (ack.ok) { if (rowNote && rowNote.key === key) rowNote = null; $("vote-msg").textContent = ""; }
        else refuse(key, ack.error);
      } else if (entry.event === "profile.update") {
        // a refused opt-in is about the contact: say so next to it
        var atContact = !ack.ok && entry.fields.match_opt_in === true;
        showError("p-contact-error", atContact ? ack.error : "");
        $("p-contact").setAttribute("aria-invalid", String(atContact));
        $("profile-status").textContent = ack.ok ? t("saved") : atContact ? "" : ack.error;
        if (ack.ok) { fillProfile(ack.profile); results.changed("profile"); }
        else refreshMe();   // perhaps profiles closed since we joined (personal data erased)
      }
    }
  });

  var lastPhase = null;
  var rowNote = null;   // {key, text}: why the last vote on that row was refused

  /* A refused vote: said next to its row (kept in view) and read out by #vote-msg. */
  function refuse(key, text) {
    rowNote = { key: key, text: text };
    $("vote-msg").textContent = text;
    draw();
    var note = document.getElementById("row-note");
    if (note) note.scrollIntoView({ block: "nearest" });
  }

  /* The organiser erased the event's personal data: "About you" says so instead of
     offering a form that would be refused (me.profiles_closed, docs/PROTOCOL.md). */
  function drawProfileClosed(s) {
    var closed = !!(s.me && s.me.profiles_closed);
    $("profile-closed").hidden = !closed;
    $("profile-intro").hidden = closed;
    $("profile-form").hidden = closed;
  }

  /* A fresh `me` (what the join answer gave, as it is now). */
  function refreshMe() {
    live.ask("workshop.sync", { since: live.state.version }, function (answer) {
      if (answer && answer.me) { live.state.me = answer.me; render(); }
    });
  }

  function announce(text) { $("announcer").textContent = text; }
  function showError(id, text) { var n = $(id); n.textContent = text; n.hidden = !text; }

  function draw() {
    var s = live.state;
    $("offline").hidden = s.online;
    showError("join-error", s.error || "");
    if (!s.workshop) return;
    var phase = s.workshop.phase;
    var banner = [t("banner." + phase), t("banner." + phase + ".hint")];
    var head = $("phase-banner");
    head.textContent = "";
    head.appendChild(document.createTextNode(banner[0]));
    head.appendChild(el("small", { text: banner[1] }));
    $("composer").hidden = phase !== "collecting";
    $("profile").hidden = phase === "closed";
    // reopened after the end: the organiser may have erased personal data meanwhile
    if (lastPhase === "closed" && phase !== "closed") refreshMe();
    var swapped = lastPhase !== null && lastPhase !== phase;
    if (swapped) rowNote = null;
    lastPhase = phase;
    drawProfileClosed(s);
    drawBudget(s, phase);
    drawIdeas(s, phase);
    results.draw(s);
    if (s.me && !profileFilled) fillProfile(s.me.profile);
    // a new phase swaps the main view: start it from the top, not mid-list
    if (swapped) window.scrollTo(0, 0);
  }

  function drawBudget(s, phase) {
    var show = phase === "voting" && s.me;
    $("budget").hidden = !show;
    if (!show) return;
    var budget = s.workshop.vote_budget, used = Math.min(s.me.votes_used, budget);
    var dots = $("dots");
    dots.textContent = "";
    for (var i = 0; i < budget; i++) dots.appendChild(el("span", { class: "dot" + (i < budget - used ? "" : " used") }));
    var left = Math.max(0, budget - s.me.votes_used);
    $("budget-text").textContent = t("votes_left", { left: left, budget: budget }) +
      (s.workshop.vote_cap > 1 ? " · " + t("cap_note", { cap: s.workshop.vote_cap }) : "");
    $("why-spent").textContent = t("votes_spent", { n: budget });
    $("why-cap").textContent = s.workshop.vote_cap === 1 ? t("cap_one")
      : t("cap_many", { n: s.workshop.vote_cap });
  }

  function pendingVotes(kind, id) {
    return live.pending().filter(function (e) {
      return (e.event === "vote.cast" || e.event === "vote.retract") && e.fields[kind + "_id"] === id;
    }).length;
  }

  function drawIdeas(s, phase) {
    var list = $("ideas");
    var ranking = phase === "results" || phase === "closed";
    var onThemes = s.workshop.vote_on === "themes";
    var byTheme = (!ranking || onThemes) && s.themes.size > 0;   // grouped once there are themes
    var heads = new Map();
    var ideas = ranking && !onThemes ? P.ranked(s.ideas)
      : byTheme ? [].concat.apply([], (ranking ? P.byVotes(P.grouped(s)) : P.grouped(s)).map(function (g) {
        if (g.ideas.length) heads.set(g.ideas[0].id, g.theme);
        return g.ideas;
      }))
      : P.visible(s.ideas).sort(P.newestPinnedFirst);
    var ranks = P.rankOf(ideas);
    var focused = document.activeElement && list.contains(document.activeElement)
      ? document.activeElement.getAttribute("data-key") : null;
    var rows = [];   // patched in below: rows that did not change stay the same nodes
    live.pending().filter(function (e) { return e.event === "idea.post"; }).forEach(function (e) {
      rows.push(el("li", { class: "idea mine" }, [el("div", { class: "idea-text" }, [words(e.fields.text),
        el("div", { class: "idea-meta status-pending", text: s.online ? t("sending") : t("waiting") })])]));
    });
    Object.keys(awaiting).forEach(function (id) {
      if (s.ideas.has(Number(id)) && s.ideas.get(Number(id)).approved !== false) {
        delete awaiting[id]; P.save(awaitingKey, awaiting); return;   // approved: shown below
      }
      rows.push(el("li", { class: "idea mine" }, [el("div", { class: "idea-text" }, [words(awaiting[id]),
        el("div", { class: "idea-meta status-pending", text: t("awaiting") })])]));
    });
    var themeRanks = ranking && onThemes ? themeRanking(s) : null;
    ideas.forEach(function (idea, i) {
      if (heads.has(idea.id)) {
        var theme = heads.get(idea.id);
        var head = el("li", { class: "group-head" }, [
          themeRanks && theme ? el("span", { class: "rank", text: themeRanks.get(theme.id) + "." }) : null,
          el("bdi", { class: "name", text: theme ? theme.name : t("not_placed") })]);
        if (theme) head.style.borderLeftColor = theme.colour;
        if (theme && onThemes && phase === "voting") head.appendChild(voteControls(s, theme, "theme"));
        if (theme && onThemes && ranking) head.appendChild(el("strong", { class: "votes", text: P.votes(theme.votes || 0) }));
        if (theme) addNote(head, "theme" + theme.id);
        rows.push(head);
      }
      var meta = el("div", { class: "idea-meta" + (mine.has(idea.id) ? " status-saved" : "") });
      meta.textContent = mine.has(idea.id) ? t("saved_mine") : "";
      var also = P.alsoSaid(s, idea.id);
      var body = el("div", { class: "idea-text" }, [words(idea.text),
        also ? el("div", { class: "idea-meta" }, [document.createTextNode(t("also_said") + " "),
          el("bdi", { text: also })]) : null, meta]);
      var parts = [];
      if (ranking && !onThemes) parts.push(el("span", { class: "rank", text: ranks[i] + "." }));
      parts.push(body);
      if (phase === "voting" && !onThemes) parts.push(voteControls(s, idea, "idea"));
      else if (ranking && !onThemes) parts.push(el("strong", { class: "votes", text: P.votes(idea.votes) }));
      var row = el("li", { class: "idea" + (mine.has(idea.id) ? " mine" : "") }, parts);
      if (!onThemes) addNote(row, "idea" + idea.id);
      rows.push(row);
    });
    P.patchChildren(list, rows);
    if (focused) {  // keep a keyboard or screen-reader user on the button they pressed
      var again = list.querySelector('[data-key="' + focused + '"]');
      if (again && again.disabled) again = list.querySelector('[data-key="' + focused.replace("minus", "plus") + '"]');
      if (again) again.focus();
    }
    $("no-ideas").hidden = ideas.length > 0;
    $("idea-count").textContent = "(" + ideas.length + ")";
    if (lastIdeaCount !== null && ideas.length > lastIdeaCount) announce(t("new_ideas", { n: ideas.length - lastIdeaCount }));
    lastIdeaCount = ideas.length;
  }

  /* An attendee's text as its own paragraph, in its own direction (Arabic stays whole). */
  function words(text) { return el("p", { class: "words", dir: "auto", text: text }); }

  /* The refusal for this row, if the last vote on it was refused. */
  function addNote(row, key) {
    if (rowNote && rowNote.key === key) {
      row.appendChild(el("p", { id: "row-note", class: "row-note error", text: rowNote.text }));
    }
  }

  /* theme id -> rank (ties share one), most votes first, then board order. */
  function themeRanking(s) {
    var themes = Array.from(s.themes.values()).sort(function (a, b) {
      return (b.votes || 0) - (a.votes || 0) || a.position - b.position || a.id - b.id;
    });
    var ranks = P.rankOf(themes.map(function (th) { return { votes: th.votes || 0 }; }));
    return new Map(themes.map(function (th, i) { return [th.id, ranks[i]]; }));
  }

  /* + and − for an idea, or for a theme when the workshop votes on themes. */
  function voteControls(s, target, kind) {
    var idea = { id: target.id, text: target.text || target.name };
    var mineOn = kind === "theme" ? (s.me && s.me.theme_votes) || {} : (s.me && s.me.votes) || {};
    var myDots = mineOn[String(idea.id)] || 0;
    var busy = pendingVotes(kind, idea.id) > 0;
    var fields = {};
    fields[kind + "_id"] = idea.id;
    var minus = el("button", { class: "btn", type: "button", "aria-label": t("take_back", { text: idea.text.slice(0, 60) }), text: "−", "data-key": "minus-" + kind + idea.id });
    var plus = el("button", { class: "btn btn-primary", type: "button", "aria-label": t("vote_for", { text: idea.text.slice(0, 60) }), text: "+", "data-key": "plus-" + kind + idea.id });
    minus.disabled = myDots === 0;
    // no dots left, or this one has all it may get: "+" says why instead of asking
    var spent = s.me && s.me.votes_used >= s.workshop.vote_budget;
    var why = spent ? "why-spent" : myDots >= s.workshop.vote_cap ? "why-cap" : null;
    if (why) { plus.setAttribute("aria-disabled", "true"); plus.setAttribute("aria-describedby", why); }
    if (busy) { minus.setAttribute("aria-busy", "true"); plus.setAttribute("aria-busy", "true"); }
    minus.addEventListener("click", function () { if (!busy) live.send("vote.retract", fields); });
    plus.addEventListener("click", function () {
      if (why) refuse(kind + idea.id, $(why).textContent);
      else if (!busy) live.send("vote.cast", fields);
    });
    var count = el("span", { class: "count", text: String(myDots), "aria-label": t("my_votes", { n: myDots }) });
    return el("div", { class: "idea-votes" }, [minus, count, plus]);
  }

  var text = $("idea-text");
  var draftKey = "plenary.draft." + config.workshopId;
  text.value = P.load(draftKey, "");   // a reload keeps what was being typed
  text.addEventListener("focus", function () {
    // with the on-screen keyboard open, keep the box and its Send button in view
    setTimeout(function () { $("composer").scrollIntoView({ block: "nearest" }); }, 300);
  });
  text.addEventListener("input", function () {
    P.save(draftKey, text.value);
    var n = text.value.trim().length;
    $("idea-counter").textContent = n + " / " + LIMITS.idea;
    $("idea-counter").classList.toggle("over", n > LIMITS.idea);
  });
  text.dispatchEvent(new Event("input"));
  $("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = text.value.trim();
    showError("post-error", "");
    if (!value) { showError("post-error", t("empty_idea")); return; }
    if (value.length > LIMITS.idea) { showError("post-error", t("long_idea")); return; }
    $("send").disabled = true;
    live.ask("idea.similar", { text: value }, function (answer) {
      $("send").disabled = false;
      if (answer && answer.match) offerExisting(value, answer.match);
      else post(value);
    }, 1500);
  });

  function post(value) {
    live.send("idea.post", { text: value });
    text.value = "";
    P.save(draftKey, "");
    $("idea-counter").textContent = "0 / " + LIMITS.idea;
    $("similar").hidden = true;
    text.focus();
  }

  /* "Someone already said: … — keep theirs?" The attendee decides; nothing is posted yet. */
  function offerExisting(value, match) {
    $("similar-text").textContent = "“" + match.text + "”";   // a <bdi>
    $("similar").hidden = false;
    $("similar-post").onclick = function () { post(value); };
    $("similar-keep").onclick = function () {
      $("similar").hidden = true;
      text.value = "";
      P.save(draftKey, "");
      announce(t("kept_existing"));
    };
    $("similar-keep").focus();
  }

  var profileFilled = false;
  function fillProfile(profile) {
    profileFilled = true;
    var form = $("profile-form");
    Object.keys(profile).forEach(function (k) {
      var field = form.elements[k];
      if (!field) return;
      if (field.type === "checkbox") field.checked = !!profile[k];
      else field.value = profile[k] || "";
    });
    $("p-contact-row").hidden = !$("p-match").checked;
  }
  $("p-match").addEventListener("change", function () {
    $("p-contact-row").hidden = !this.checked;
    if (this.checked) $("p-contact").focus();
  });
  $("profile-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var f = event.target.elements;
    var optIn = f.match_opt_in.checked;
    showError("p-contact-error", "");
    showError("p-region-error", "");
    var fields = { display_name: f.display_name.value, organisation: f.organisation.value,
                   kind: f.kind.value, region: f.region.value, match_opt_in: optIn };
    if (optIn) {   // say what is missing next to the field, before asking the server
      if (!f.region.value.trim()) { showError("p-region-error", t("region_needed")); f.region.focus(); return; }
      if (!f.contact.value.trim()) { showError("p-contact-error", t("contact_needed")); f.contact.focus(); return; }
      fields.contact = f.contact.value.trim();
    }
    $("profile-status").textContent = t("saving");
    live.send("profile.update", fields);
  });
  results = P.PhoneResults.mount(live);
  P.mountClock(live, $("clock"));
  render();
})();
