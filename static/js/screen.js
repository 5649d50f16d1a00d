/* Projector page: the idea wall, live vote bars, the ranking. No controls.
 *
 * 300 ideas do not fit on one screen at a size readable from 15 m (text >= 28 px), and a
 * scrolling wall nobody controls is unreadable. So the wall shows as many cards as fit,
 * never shrinking the text: while collecting the newest ones (what the room just posted),
 * while voting the most supported ones; a line says how many more there are, and every
 * phone has the full list. The ranking shows the top ideas that fit, with their counts.
 * Cards are keyed by idea id and kept between renders, so updates do not jump.
 */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t;
  var config = P.readConfig();
  var $ = function (id) { return document.getElementById(id); };
  var cards = new Map();
  var lastCount = null;
  var render = P.scheduler(draw);
  var live = P.connect(config, {
    onChange: function (state, reason) { render(); refreshSupport(reason); }
  });
  var refreshSupport = P.Results.watchSupport(live, render);

  function card(idea) {
    var node = cards.get(idea.id);
    if (!node) {
      node = el("li", { class: "card-idea is-new" }, [
        el("div", { class: "text", text: idea.text }),
        el("div", { class: "also" }), el("div", { class: "votes" }), el("div", { class: "bar" })]);
      // only a new card animates in; re-ordering must not replay the animation
      node.addEventListener("animationend", function () { node.classList.remove("is-new"); });
      cards.set(idea.id, node);
    }
    node.querySelector(".text").textContent = idea.text;  // the facilitator may fix a typo
    var also = P.alsoSaid(live.state, idea.id);
    node.querySelector(".also").textContent = also ? t("also_said") + " " + also : "";
    return node;
  }

  /* FLIP: cards that move (a new idea, a vote that changes the order) glide to their new
     place instead of jumping, so the room can follow what moved. */
  function positions() {
    var rects = new Map();
    cards.forEach(function (node, id) { if (node.isConnected) rects.set(id, node.getBoundingClientRect()); });
    return rects;
  }

  function glide(before) {
    cards.forEach(function (node, id) {
      var old = before.get(id);
      if (!old || !node.isConnected) return;
      var now = node.getBoundingClientRect();
      var dx = old.left - now.left, dy = old.top - now.top;
      if (!dx && !dy) return;
      node.style.transition = "none";
      node.style.transform = "translate(" + dx + "px," + dy + "px)";
      requestAnimationFrame(function () {
        node.style.transition = "transform .45s ease";
        node.style.transform = "";
      });
    });
  }

  function fit(container, nodes) {
    container.textContent = "";
    var shown = 0;
    for (var i = 0; i < nodes.length; i++) {
      container.appendChild(nodes[i]);
      if (container.scrollHeight > container.clientHeight + 2) { container.removeChild(nodes[i]); break; }
      shown++;
    }
    return shown;
  }

  function draw() {
    var s = live.state;
    $("offline").hidden = s.online && !s.error;
    $("offline").textContent = s.error || t("reconnecting");
    document.querySelector(".screen-side").hidden = !!s.revoked;  // no code, no QR
    $("people").textContent = s.connected;
    $("people-label").textContent = t(s.connected === 1 ? "person_connected" : "people_connected");
    if (!s.workshop) return;
    var phase = s.workshop.phase;
    $("phase").textContent = t("phase." + phase);
    var ideas = P.visible(s.ideas);
    var showRanking = phase === "results" || phase === "closed";
    var onThemes = s.workshop.vote_on === "themes" && s.themes.size > 0;
    if (showRanking && onThemes) showRanking = false;  // themes ranked as columns instead
    var showThemes = s.themes.size > 0 && (phase === "grouping" || phase === "collecting" ||
                                           (onThemes && phase !== "draft"));
    // results with themes, conclusions or action items: the roadmap view, full width
    var showOutcomes = (phase === "results" || phase === "closed") &&
      (s.themes.size > 0 || s.conclusions.size > 0 || s.actions.size > 0);
    if (showOutcomes) showRanking = showThemes = false;
    document.querySelector(".screen").classList.toggle("is-results", showOutcomes);
    $("wall").hidden = showRanking || showThemes || showOutcomes;
    $("ranking").hidden = !showRanking;
    $("themes").hidden = !showThemes;
    $("outcomes").hidden = !showOutcomes;
    if (showOutcomes) {
      var targets = P.Results.targets(s, 8);
      var left = targets.length - drawOutcomes(s, targets);
      $("more").hidden = left <= 0;
      $("more").textContent = t("more_themes", { n: left });
      return;
    }
    var before = positions();
    var shown = showRanking ? drawRanking(ideas) : showThemes ? drawThemes(s, onThemes && phase !== "grouping" && phase !== "collecting") : drawWall(ideas, phase);
    if (!showRanking) glide(before);
    var hidden = ideas.length - shown;
    $("more").hidden = hidden <= 0;
    $("more").textContent = t(hidden === 1 ? "more_idea" : "more_ideas", { n: hidden });
    if (lastCount !== null && ideas.length > lastCount) {
      $("announcer").textContent = t("new_ideas", { n: ideas.length - lastCount });
    }
    lastCount = ideas.length;
  }

  function drawWall(ideas, phase) {
    var voting = phase === "voting";
    var ordered = voting ? P.ranked(new Map(ideas.map(function (i) { return [i.id, i]; })))
      : ideas.sort(P.newestPinnedFirst);
    var max = Math.max(1, Math.max.apply(null, ordered.map(function (i) { return i.votes; }).concat([0])));
    var nodes = ordered.map(function (idea) {
      var node = card(idea);
      node.querySelector(".votes").textContent = voting ? P.votes(idea.votes) : "";
      var bar = node.querySelector(".bar");
      bar.hidden = !voting;
      bar.style.width = (100 * idea.votes / max) + "%";
      return node;
    });
    return fit($("wall"), nodes);
  }

  /* Clustering: one column per theme, in the facilitator's order, ideas not placed last. */
  function drawThemes(state, withVotes) {
    var root = $("themes"), shown = 0;
    root.textContent = "";
    var groups = P.grouped(state);
    if (withVotes) groups = P.byVotes(groups).filter(function (g) { return g.theme; });
    var max = Math.max.apply(null, [1].concat(groups.map(function (g) { return g.theme ? g.theme.votes || 0 : 0; })));
    var ranks = withVotes ? P.rankOf(groups.map(function (g) { return { votes: g.theme.votes || 0 }; })) : [];
    groups.forEach(function (group, index) {
      if (!group.theme && !group.ideas.length) return;
      var title = group.theme ? group.theme.name : t("not_placed");
      if (withVotes) title = ranks[index] + ". " + title + " — " + P.votes(group.theme.votes || 0);
      var head = el("h2", { class: "theme-title", text: title });
      var list = el("ul", { class: "theme-list" });
      var column = el("section", { class: "theme-column" }, [head, list]);
      if (group.theme) column.style.borderTopColor = group.theme.colour;
      if (withVotes) {
        var bar = el("div", { class: "bar theme-bar" });
        bar.style.width = (100 * (group.theme.votes || 0) / max) + "%";
        column.insertBefore(bar, list);
      }
      root.appendChild(column);
      shown += fit(list, group.ideas.map(function (idea) {
        var node = card(idea);
        node.querySelector(".votes").textContent = "";
        node.querySelector(".bar").hidden = true;
        return node;
      }));
    });
    return shown;
  }

  function drawRanking(ideas) {
    var ordered = P.ranked(new Map(ideas.map(function (i) { return [i.id, i]; })));
    var ranks = P.rankOf(ordered);
    var max = Math.max(1, ordered.length ? ordered[0].votes : 1);
    var nodes = ordered.map(function (idea, i) {
      var bar = el("div", { class: "bar" });
      bar.style.width = (100 * idea.votes / max) + "%";
      return el("li", {}, [el("span", { class: "pos", text: ranks[i] + "." }),
        el("span", { class: "text", text: idea.text }), el("span", { class: "num", text: String(idea.votes) }), bar]);
    });
    return fit($("ranking"), nodes);
  }

  /* Results: the themes (or top ideas) ranked, one band each: the title, votes and who
     backs it, then the conclusion beside the action items by horizon. Bands take the height
     their content needs; when they do not all fit, the longest lists of actions lose their
     last items first ("+ 2 more actions"), then conclusions shorten, then the last themes
     go (every phone has them all). No names, no contacts. */
  function drawOutcomes(state, targets) {
    var root = $("outcomes");
    root.textContent = "";
    root.classList.remove("is-tight");
    var max = Math.max.apply(null, [1].concat(targets.map(function (x) { return x.votes; })));
    var ranks = P.rankOf(targets);
    var bands = targets.map(function (target, i) {
      var bar = el("div", { class: "bar theme-bar" });
      bar.style.width = (100 * target.votes / max) + "%";
      var segments = P.Results.supportOf(state, target);
      var actions = el("div", { class: "outcome-actions" });
      var items = [];
      P.Results.byHorizon(target.actions).forEach(function (group) {
        var list = el("ul", { class: "horizon-actions" });
        actions.appendChild(el("div", { class: "horizon-group" }, [el("h3", { class: "horizon", text: group.label }), list]));
        group.actions.forEach(function (action) {
          var item = el("li", {}, [el("span", { class: "what", text: action.what }),
            action.owner ? el("span", { class: "owner", text: " — " + action.owner }) : null]);
          list.appendChild(item);
          items.push(item);
        });
      });
      var more = el("p", { class: "more-actions" });
      actions.appendChild(more);
      var body = el("div", { class: "outcome-body" }, [
        target.conclusion ? el("p", { class: "conclusion", text: target.conclusion }) : null,
        items.length ? actions : null]);
      var card = el("section", { class: "outcome-card" + (target.kind === "idea" ? " is-idea" : "") }, [
        el("header", { class: "outcome-card-head" }, [
          el("h2", { class: "theme-title", text: ranks[i] + ". " + target.name + " — " + P.votes(target.votes) }),
          segments && segments.backers ? el("p", { class: "support", text: P.Results.supportSentence(segments) }) : null]),
        bar, target.conclusion || items.length ? body : null]);
      if (target.colour) card.style.borderLeftColor = target.colour;
      root.appendChild(card);
      return { card: card, items: items, more: more, removed: [] };
    });
    var overflowing = function () { return root.scrollHeight > root.clientHeight + 2; };
    for (var guard = 0; overflowing() && guard < 500; guard++) {
      var fullest = bands.filter(function (b) { return b.items.length > 1 && b.card.isConnected; })
        .sort(function (a, b) { return b.items.length - a.items.length; })[0];
      if (fullest) {
        var last = fullest.items.pop(), list = last.parentNode, group = list.parentNode;
        fullest.removed.push({ item: last, list: list, group: group });
        list.removeChild(last);
        if (!list.children.length) group.remove();
        countMore(fullest);
      } else if (!root.classList.contains("is-tight")) {
        root.classList.add("is-tight");   // conclusions down to two lines
      } else {
        var shown = bands.filter(function (b) { return b.card.isConnected; });
        if (shown.length <= 1) break;
        shown[shown.length - 1].card.remove();
      }
    }
    // dropping from the fullest band may have freed more room than needed: put items back
    bands.forEach(function (band) {
      while (band.removed.length && band.card.isConnected) {
        var back = band.removed[band.removed.length - 1];
        var regroup = !back.group.isConnected;
        if (regroup) band.more.parentNode.insertBefore(back.group, band.more);
        back.list.appendChild(back.item);
        band.removed.pop();
        countMore(band);
        if (!overflowing()) continue;
        back.list.removeChild(back.item);
        if (regroup) back.group.remove();
        band.removed.push(back);
        countMore(band);
        break;
      }
    });
    return bands.filter(function (b) { return b.card.isConnected; }).length;
  }

  function countMore(band) {
    var n = band.removed.length;
    band.more.textContent = n ? t(n === 1 ? "more_action" : "more_actions", { n: n }) : "";
  }

  $("fullscreen").addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  });
  window.addEventListener("resize", render);
  P.mountClock(live, $("clock"));
  render();
})();
