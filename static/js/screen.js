/* Projector page: the idea wall, themes, live votes, the results. No controls on it; the
 * facilitator's console steers it (`projector.set`, services/projector.py).
 *
 * What the room reads from 10-15 m never shrinks below the floor and is never cut: what
 * does not fit goes on pages (screen-fit.js). The facilitator picks the page (a relative
 * number: this projector wraps it to the pages it has at its size), or lets it turn every
 * N seconds (a timer here, not on the server); "Page 2 of 5" says where the room is. The
 * facilitator can also put one idea in the spotlight, hide vote counts until the results,
 * and shrink the join panel to a corner (it always does once collecting is over).
 *
 * Collecting: the newest ideas first (page 1 is what the room just posted), each new one
 * arriving with a short animation. Grouping: page 1 is every theme at a glance
 * (screen-overview.js), the next pages the themes in full. Voting: the cards packed like
 * bricks, most votes first, numbered #1, #2, ... so the order reads at a glance.
 */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t, Fit = P.Fit;
  var config = P.readConfig();
  var $ = function (id) { return document.getElementById(id); };
  var cards = new Map(), glanceCards = new Map();
  var lastCount = null, lastPage = null, lastPhase = null, ownTurns = 0, turner = null, turnEvery = 0;
  var seen = new Set(), arrived = new Set(), primed = false;
  var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
  var render = P.scheduler(draw);
  var live = P.connect(config, {
    onChange: function (state, reason) { changed(reason); render(); refreshSupport(reason); }
  });
  var refreshSupport = P.Results.watchSupport(live, render);

  function view() {
    return (live.state.workshop && live.state.workshop.projector) ||
      { page: 0, spotlight_idea_id: null, hide_tallies: false, auto_advance: 0, small_join: false };
  }

  /* The facilitator's page (and a new phase) resets this projector's own turns;
     auto-advance adds to them. */
  function changed() {
    var v = view(), phase = live.state.workshop && live.state.workshop.phase;
    if (v.page !== lastPage || phase !== lastPhase) { lastPage = v.page; lastPhase = phase; ownTurns = 0; }
    if (v.auto_advance !== turnEvery) {
      turnEvery = v.auto_advance;
      if (turner) clearInterval(turner);
      turner = turnEvery ? setInterval(function () { ownTurns++; render(); }, turnEvery * 1000) : null;
    }
  }

  function text(tag, cls, value) {
    return el(tag, { class: cls + " fit", dir: "auto", text: value });
  }

  /* Only an idea that reached the room since the last drawing animates in (not a card
     drawn again, not the ideas there when the projector opened), and never for a room
     that asked for reduced motion. */
  function arrive(node) {
    if (calm && calm.matches) return;
    var settle = function () { node.classList.remove("is-new"); };
    node.classList.add("is-new");
    node.addEventListener("animationend", settle, { once: true });
    setTimeout(settle, 1500);  // a card paged away before its animation ends settles too
  }

  function card(idea, map) {
    map = map || cards;
    var node = map.get(idea.id);
    if (!node) {
      node = el("li", { class: "card-idea" }, [el("div", { class: "place" }), text("div", "text", idea.text),
        text("div", "also", ""), el("div", { class: "votes" }), el("div", { class: "bar" })]);
      if (arrived.has(idea.id)) arrive(node);
      map.set(idea.id, node);
    }
    node.querySelector(".place").textContent = "";
    node.querySelector(".text").textContent = idea.text;  // the facilitator may fix a typo
    var also = P.alsoSaid(live.state, idea.id);
    node.querySelector(".also").textContent = also ? t("also_said") + " " + also : "";
    node.querySelector(".votes").textContent = "";
    node.querySelector(".bar").hidden = true;
    return node;
  }

  function withVotes(node, votes, max, rank) {
    node.querySelector(".place").textContent = t("rank_n", { n: rank });
    node.querySelector(".votes").textContent = P.votes(votes);
    var bar = node.querySelector(".bar");
    bar.hidden = false;
    bar.style.width = (100 * votes / Math.max(1, max)) + "%";
    return node;
  }

  function draw() {
    var s = live.state, v = view();
    $("offline").hidden = s.online && !s.error;
    $("offline").textContent = s.error || t("reconnecting");
    document.querySelector(".screen-side").hidden = !!s.revoked;  // no code, no QR
    $("people").textContent = s.connected;
    $("people-label").textContent = t(s.connected === 1 ? "person_connected" : "people_connected");
    if (!s.workshop) return;
    var phase = s.workshop.phase;
    $("phase").textContent = t("phase." + phase);
    var order = P.vocabulary().phases;  // past collecting, the room has joined
    $("screen").classList.toggle("is-small-join", v.small_join ||
      order.indexOf(phase) > order.indexOf(P.vocabulary().posting_phase));
    Fit.grow($("screen-title"), $("screen-title"), Fit.floor(),
      Math.max(Fit.floor(), Math.round(window.innerHeight * 0.05)));
    var ideas = P.visible(s.ideas);
    arrived = new Set(primed ? ideas.filter(function (i) { return !seen.has(i.id); })
      .map(function (i) { return i.id; }) : []);
    ideas.forEach(function (i) { seen.add(i.id); });
    primed = true;
    var results = phase === "results" || phase === "closed";
    var onThemes = s.workshop.vote_on === "themes" && s.themes.size > 0;
    var tallies = phase === "voting" ? !v.hide_tallies : results;
    var showOutcomes = results && (s.themes.size > 0 || s.conclusions.size > 0 || s.actions.size > 0);
    var showRanking = results && !showOutcomes && !onThemes;
    var showThemes = !showOutcomes && !showRanking && s.themes.size > 0 &&
      (phase === "grouping" || (onThemes && phase !== "draft" && phase !== "collecting"));
    $("screen").classList.toggle("is-results", showOutcomes);
    $("wall").hidden = showRanking || showThemes || showOutcomes;
    $("ranking").hidden = !showRanking;
    $("themes").hidden = !showThemes;
    $("outcomes").hidden = !showOutcomes;
    var stage = showOutcomes ? $("outcomes") : showRanking ? $("ranking") : showThemes ? $("themes") : $("wall");
    ["wall", "ranking", "themes", "outcomes"].forEach(function (id) {  // nothing stale stays
      if ($(id) !== stage) $(id).textContent = "";
    });
    var made = showOutcomes ? outcomeEntries(s) : showRanking ? rankingEntries(ideas)
      : showThemes ? themeEntries(s, onThemes && phase !== "grouping", tallies)
        : wallEntries(ideas, phase === "voting" && tallies);
    var pages = showThemes && phase === "grouping" ? groupingPages(stage, made)
      : Fit.paginate(stage, made.entries, made.box);
    var index = (v.page + ownTurns) % pages.length;
    stage.classList.toggle("is-overview", !!pages[index].overview);
    Fit.show(stage, pages[index], made.box, made.maxScale);
    $("more").hidden = pages.length < 2;
    $("more").textContent = t("page_of", { page: index + 1, pages: pages.length });
    drawSpotlight(s, v);
    if (lastCount !== null && ideas.length > lastCount) {
      $("announcer").textContent = t("new_ideas", { n: ideas.length - lastCount });
    }
    lastCount = ideas.length;
  }

  /* Collecting: newest (and pinned) first. Voting: most supported first, unless the counts
     are hidden (then the order would give them away). */
  function wallEntries(ideas, tallies) {
    var ordered = tallies ? P.ranked(new Map(ideas.map(function (i) { return [i.id, i]; })))
      : ideas.sort(P.newestPinnedFirst);
    var max = Math.max.apply(null, [1].concat(ordered.map(function (i) { return i.votes; })));
    var ranks = P.rankOf(ordered);
    return { entries: ordered.map(function (idea, i) {
      var node = card(idea);
      return { node: tallies ? withVotes(node, idea.votes, max, ranks[i]) : node };
    }) };
  }

  /* One box per theme in the facilitator's order (ranked when voting on themes), ideas not
     placed last; a long theme goes on in the next box. */
  function themeEntries(state, ranked, tallies) {
    var groups = P.grouped(state).filter(function (g) { return g.theme || g.ideas.length; });
    if (ranked) groups = groups.filter(function (g) { return g.theme; });
    if (ranked && tallies) groups = P.byVotes(groups);
    var votesOf = function (g) { return g.theme ? g.theme.votes || 0 : 0; };
    var max = Math.max.apply(null, [1].concat(groups.map(votesOf)));
    var ranks = P.rankOf(groups.map(function (g) { return { votes: votesOf(g) }; }));
    var entries = [], shown = [];
    groups.forEach(function (group, index) {
      var name = group.theme ? group.theme.name : t("not_placed");
      var info = { name: ranked && tallies ? ranks[index] + ". " + name + " — " + P.votes(votesOf(group)) : name,
        colour: group.theme && group.theme.colour, bar: ranked && tallies ? votesOf(group) / max : null };
      shown.push({ info: info, ideas: group.ideas });
      if (!group.ideas.length) entries.push({ group: info, node: el("li", { class: "theme-empty" }) });
      group.ideas.forEach(function (idea) { entries.push({ group: info, node: card(idea) }); });
    });
    return { entries: entries, groups: shown, box: function (info, continued) {
      var list = el("ul", { class: "theme-list" });
      var title = continued ? t("continued", { name: info.name }) : info.name;
      var column = el("section", { class: "theme-column" }, [text("h2", "theme-title", title)]);
      if (info.colour) column.style.borderTopColor = info.colour;
      if (info.bar !== null) {
        var bar = el("div", { class: "bar theme-bar" });
        bar.style.width = (100 * info.bar) + "%";
        column.appendChild(bar);
      }
      column.appendChild(list);
      return { root: column, body: list };
    } };
  }

  /* Grouping: page 1 shows every theme (its name, how many ideas, the first ones that fit
     and "+ N more"); when that is not everything, the themes in full follow. */
  function groupingPages(stage, made) {
    stage.classList.add("is-overview");
    var glance = P.Overview.build(stage, made.groups, glanceBox, function (idea) {
      return card(idea, glanceCards);
    });
    stage.classList.remove("is-overview");
    if (glance && glance.complete) return [glance.page];
    var pages = Fit.paginate(stage, made.entries, made.box);
    return glance ? [glance.page].concat(pages) : pages;
  }

  function glanceBox(info) {
    // the count goes on the name's last line: one line less per box
    var count = el("span", { class: "theme-count" }), more = text("p", "theme-more", "");
    var list = el("ul", { class: "theme-list" });
    var title = el("h2", { class: "theme-title fit" }, [el("bdi", { class: "theme-name", text: info.name }),
      document.createTextNode(" "), count]);
    var box = el("section", { class: "theme-column" }, [title, list, more]);
    if (info.colour) box.style.borderTopColor = info.colour;
    return { root: box, body: list, count: function (n) {
      count.textContent = t(n === 1 ? "idea_one" : "idea_many", { n: n });
    }, more: function (n) {
      more.textContent = n ? t("more_n", { n: n }) : "";
      more.hidden = !n;
    } };
  }

  function rankingEntries(ideas) {
    var ordered = P.ranked(new Map(ideas.map(function (i) { return [i.id, i]; })));
    var ranks = P.rankOf(ordered);
    var max = Math.max(1, ordered.length ? ordered[0].votes : 1);
    return { entries: ordered.map(function (idea, i) {
      var bar = el("div", { class: "bar" });
      bar.style.width = (100 * idea.votes / max) + "%";
      return { node: el("li", {}, [el("span", { class: "pos", text: ranks[i] + "." }),
        text("span", "text", idea.text), el("span", { class: "num", text: String(idea.votes) }), bar]) };
    }) };
  }

  /* Results: one card per theme (or top idea), most votes first: the title, votes and who
     backs it, the whole conclusion, then the action items by horizon. A card too long for
     one box goes on in the next ("(continued)"); no names, no contacts. */
  function outcomeEntries(state) {
    var targets = P.Results.targets(state, 8);
    var max = Math.max.apply(null, [1].concat(targets.map(function (x) { return x.votes; })));
    var ranks = P.rankOf(targets), entries = [];
    targets.forEach(function (target, i) {
      var segments = P.Results.supportOf(state, target);
      var info = { target: target, title: ranks[i] + ". " + target.name + " — " + P.votes(target.votes),
        support: segments && segments.backers ? P.Results.supportSentence(segments) : "",
        bar: target.votes / max };
      entries.push({ group: info, node: target.conclusion ? text("p", "conclusion", target.conclusion)
        : el("p", { class: "no-conclusion" }) });
      P.Results.byHorizon(target.actions).forEach(function (group) {
        entries.push({ group: info, node: text("h3", "horizon", group.label) });
        group.actions.forEach(function (action) {
          var item = el("p", { class: "outcome-action fit", dir: "auto" }, [el("span", { class: "what", text: action.what }),
            action.owner ? el("span", { class: "owner", text: " — " + action.owner }) : null]);
          entries.push({ group: info, node: item });
        });
      });
    });
    return { entries: entries, maxScale: 1.6, box: function (info, continued) {
      var body = el("div", { class: "outcome-body" });
      var bar = el("div", { class: "bar theme-bar" });
      bar.style.width = (100 * info.bar) + "%";
      var title = continued ? t("continued", { name: info.title }) : info.title;
      var card = el("section", { class: "outcome-card" + (info.target.kind === "idea" ? " is-idea" : "") }, [
        el("header", { class: "outcome-card-head" }, [text("h2", "theme-title", title),
          info.support && !continued ? text("p", "support", info.support) : null]), bar, body]);
      if (info.target.colour) card.style.borderLeftColor = info.target.colour;
      return { root: card, body: body };
    } };
  }

  /* One idea, big and centred, over everything, until the facilitator clears it. */
  function drawSpotlight(state, v) {
    var idea = v.spotlight_idea_id ? state.ideas.get(v.spotlight_idea_id) : null;
    var shown = !!idea && P.visible(new Map([[idea.id, idea]])).length > 0;
    $("spotlight").hidden = !shown;
    if (!shown) return;
    $("spotlight-text").textContent = idea.text;
    Fit.grow($("spotlight-text"), $("spotlight"), Fit.floor(), Math.round(window.innerHeight * 0.1));
  }

  $("fullscreen").addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  });
  window.addEventListener("resize", render);
  P.mountClock(live, $("clock"));
  render();
})();
