/* Live placement on the console: once themes exist, a card not yet in a theme may show a
 * chip "→ <theme>" (the server's `board.hints`: the theme closest to the idea, when close
 * enough). The chip's button sends the ordinary `idea.move` ("Put in <theme>"), its "×"
 * dismisses it; nothing moves by itself. Asked after board changes, at most about once a
 * second (the "hints" budget), for up to 50 unplaced ideas, newest first.
 * Usage: var hints = Plenary.PlacementHints.mount(live, redraw, onAccept);
 *        hints.chip(idea) -> an element or null (for an unplaced card);
 *        onAccept(idea, themeId) is called before the move is sent (to move the focus).
 */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t;
  var MAX = 50;

  function mount(live, redraw, onAccept) {
    var hints = new Map();         // idea id -> {theme_id, score}
    var dismissed = new Set();     // "idea:theme": a dismissed hint stays away
    var timer = null, lastAsk = 0, wasJoined = false, asking = false, again = false;

    function unplaced() {
      return P.visible(live.state.ideas, true).filter(function (idea) {
        return idea.theme_id === null || idea.theme_id === undefined;
      }).sort(function (a, b) { return b.id - a.id; }).slice(0, MAX);
    }

    function themesExist() {
      return Array.from(live.state.themes.values()).some(function (theme) { return !theme.deleted; });
    }

    function ask() {
      var ideas = unplaced();
      if (!ideas.length || !themesExist()) {
        if (hints.size) { hints.clear(); redraw(); }
        return;
      }
      if (asking) { again = true; return; }
      asking = true;
      var ids = ideas.map(function (idea) { return idea.id; });
      live.ask("board.hints", { idea_ids: ids }, function (answer) {
        asking = false;
        if (answer) {  // a redraw only when a chip changes: it replaces the cards
          var before = JSON.stringify(ids.map(function (id) { return hints.get(id) || null; }));
          ids.forEach(function (id) { hints.delete(id); });
          answer.hints.forEach(function (h) { hints.set(h.idea_id, h); });
          if (JSON.stringify(ids.map(function (id) { return hints.get(id) || null; })) !== before) redraw();
        }
        if (again) { again = false; askSoon(); }
      });
    }

    function askSoon() {
      if (timer) return;
      timer = setTimeout(function () { timer = null; lastAsk = Date.now(); ask(); },
                         Math.max(150, 1100 - (Date.now() - lastAsk)));
    }

    P.vocabulary().change_types.forEach(function (type) {
      if (/^(theme|themes|idea|ideas)\./.test(type)) live.socket.on(type, askSoon);
    });
    setInterval(function () {  // (re)joined: ask again
      if (live.state.joined && !wasJoined) askSoon();
      wasJoined = !!live.state.joined;
    }, 500);

    function chip(idea) {
      var hint = hints.get(idea.id);
      if (!hint || (idea.theme_id !== null && idea.theme_id !== undefined)) return null;
      var theme = live.state.themes.get(hint.theme_id);
      if (!theme || theme.deleted || dismissed.has(idea.id + ":" + hint.theme_id)) return null;
      var put = el("button", { class: "place-accept", type: "button", "data-focus-key": "hint-" + idea.id,
        "aria-label": t("put_in", { theme: theme.name }), title: t("put_in", { theme: theme.name }) },
        [el("span", { "aria-hidden": "true", text: "→ " }), el("bdi", { text: theme.name })]);
      put.addEventListener("click", function () {
        hints.delete(idea.id);
        if (onAccept) onAccept(idea, theme.id);
        live.send("idea.move", { idea_id: idea.id, theme_id: theme.id, position: 1e6 });
      });
      var no = el("button", { class: "place-dismiss", type: "button", text: "×",
        "aria-label": t("dismiss_hint", { theme: theme.name }), title: t("dismiss_hint", { theme: theme.name }) });
      no.addEventListener("click", function () {
        dismissed.add(idea.id + ":" + hint.theme_id);
        redraw();
        var move = document.querySelector('[data-focus-key="move-' + idea.id + '"]');
        if (move) move.focus();
      });
      return el("span", { class: "place-hint" }, [put, no]);
    }

    return { chip: chip, refresh: askSoon };
  }

  P.PlacementHints = { mount: mount };
})();
