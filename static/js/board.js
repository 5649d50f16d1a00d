/* Facilitator board on the console: themes as boxes that wrap into rows, ideas dragged
 * between them (SortableJS: mouse and touch), a "Move to…" list for keyboard users (card-menus.js),
 * merge, undo. A redraw keeps the keyboard focus where it was.
 * Usage: var drawBoard = Plenary.Board.mount(live, document.getElementById("board"));
 *        drawBoard(live.state) on every change.
 */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t;

  function mount(live, root) {
    var dragging = false, pendingDraw = false, sortables = [], mergeSource = null, editing = null;
    var pendingFocus = null;  // {key, theme}: the moved card's button, once it is in its new theme
    var columns = root.querySelector(".board-columns");
    var hints = P.PlacementHints ? P.PlacementHints.mount(live, function () { draw(live.state); },
      function (idea, themeId) { pendingFocus = { key: "move-" + idea.id, theme: String(themeId) }; }) : null;

    root.querySelector(".theme-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = event.target.elements.name;
      if (!input.value.trim()) return;
      live.send("theme.create", { name: input.value });
      input.value = "";
    });
    /* Undo and Redo (buttons, Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y) and the History panel: newest
     * first, time and the server's sentence, undone ones struck through. The buttons say
     * what they would do (title) and are disabled when there is nothing; both follow every
     * board change, from this console or another. */
    var undoButton = root.querySelector(".undo"), redoButton = root.querySelector(".redo");
    var historyList = root.querySelector(".history"), showHistory = root.querySelector(".show-history");
    var panel = root.querySelector(".suggestions"), proposals = [];
    var askTimer = null, lastAsk = 0, wasJoined = false;
    function step(which) {
      live.send("board." + which, {}, function (ack) {
        var announcer = document.getElementById("announcer");
        if (ack.ok && ack.done && announcer) announcer.textContent = t(which === "undo" ? "undone_action" : "redone_action", { action: ack.done });
        if (ack.ok) showSteps(ack);
      });
    }
    function showSteps(answer) {
      [[undoButton, answer.can_undo, answer.next_undo, "undo_next", "nothing_to_undo"],
       [redoButton, answer.can_redo, answer.next_redo, "redo_next", "nothing_to_redo"]].forEach(function (b) {
        if (!b[0] || b[1] === undefined) return;
        b[0].disabled = !b[1];
        b[0].title = b[1] ? t(b[3], { action: b[2] }) : t(b[4]);
      });
    }
    function drawHistory(actions) {
      historyList.textContent = "";
      actions.slice().reverse().forEach(function (a) {  // a.text: the server's sentence, with the idea's text
        var time = new Date(a.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        historyList.appendChild(el("li", { class: a.undone ? "is-undone" : "" }, [
          el("time", { datetime: a.at, text: time }), el("bdi", { text: a.text }),
          a.undone ? el("span", { class: "visually-hidden", text: " (" + t("undone") + ")" }) : null]));
      });
    }
    function refresh() {  // the whole history only while the panel is open
      live.ask("board.history", historyList.hidden ? { summary: true } : {}, function (answer) {
        if (!answer) return;
        showSteps(answer);
        if (answer.actions && !historyList.hidden) drawHistory(answer.actions);
      });
    }
    function refreshSoon() {  // at most about one question a second (the "read" budget)
      if (askTimer) return;
      askTimer = setTimeout(function () { askTimer = null; lastAsk = Date.now(); refresh(); },
                            Math.max(100, 1100 - (Date.now() - lastAsk)));
    }
    P.vocabulary().change_types.forEach(function (type) {
      if (/^(theme|themes|idea|ideas)\./.test(type)) live.socket.on(type, refreshSoon);
    });
    setInterval(function () {  // (re)joined: ask again
      if (live.state.joined && !wasJoined) refreshSoon();
      wasJoined = !!live.state.joined;
    }, 500);
    undoButton.addEventListener("click", function () { step("undo"); });
    if (redoButton) redoButton.addEventListener("click", function () { step("redo"); });
    document.addEventListener("keydown", function (event) {
      var key = (event.key || "").toLowerCase();
      if (!(event.ctrlKey || event.metaKey) || isTyping(event.target)) return;
      if ((key === "z" && event.shiftKey) || (key === "y" && !event.shiftKey)) {
        event.preventDefault();
        step("redo");
      }
    });
    historyList.reversed = true;  // newest first, numbered from the oldest (1)
    showHistory.setAttribute("aria-expanded", "false");
    showHistory.addEventListener("click", function () {
      historyList.hidden = !historyList.hidden;
      showHistory.setAttribute("aria-expanded", String(!historyList.hidden));
      if (!historyList.hidden) { historyList.textContent = ""; lastAsk = Date.now(); refresh(); }
    });

    root.querySelector(".suggest").addEventListener("click", function () {
      live.ask("board.suggest", {}, function (answer) {
        if (!answer) return;
        panel.querySelector(".backend").textContent = "(" + answer.backend + ")";
        proposals = answer.existing.map(function (p) { return { kind: "existing", p: p }; })
          .concat(answer["new"].map(function (p) { return { kind: "new", p: p }; }));
        drawProposals();
      }, 10000);
    });
    panel.querySelector(".accept-all").addEventListener("click", function () {
      proposals.slice().forEach(accept);
    });

    function accept(proposal) {
      proposals = proposals.filter(function (x) { return x !== proposal; });
      if (proposal.kind === "existing") {
        live.send("idea.move", { idea_id: proposal.p.idea_id, theme_id: proposal.p.theme_id, position: 1e6 });
      } else {
        live.send("theme.create", { name: proposal.p.name }, function (ack) {
          if (!ack.ok) return;
          proposal.p.idea_ids.forEach(function (id) {
            live.send("idea.move", { idea_id: id, theme_id: ack.theme.id, position: 1e6 });
          });
        });
      }
      drawProposals();
    }

    function drawProposals() {
      var list = panel.querySelector(".suggestion-list");
      list.textContent = "";
      panel.hidden = false;
      if (!proposals.length) list.appendChild(el("li", { text: t("no_suggestions") }));
      proposals.forEach(function (proposal) {
        var ideaText = function (id) { var i = live.state.ideas.get(id); return i ? "“" + i.text + "”" : ""; };
        var what = proposal.kind === "existing"
          ? ideaText(proposal.p.idea_id) + " " + t("suggest_into", { theme: (live.state.themes.get(proposal.p.theme_id) || {}).name })
          : t("suggest_new", { name: proposal.p.name }) + ": " + proposal.p.idea_ids.map(ideaText).join(" · ");
        var yes = el("button", { class: "btn btn-small btn-primary", type: "button", text: t("accept") });
        var no = el("button", { class: "btn btn-small", type: "button", text: t("reject") });
        yes.addEventListener("click", function () { accept(proposal); });
        no.addEventListener("click", function () {
          proposals = proposals.filter(function (x) { return x !== proposal; });
          drawProposals();
        });
        list.appendChild(el("li", {}, [el("span", { class: "what", dir: "auto", text: what }), yes, no]));
      });
    }
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "z" && !event.shiftKey && !isTyping(event.target)) {
        event.preventDefault();
        step("undo");
      }
      if (event.key === "Escape" && mergeSource !== null) { mergeSource = null; draw(live.state); }
    });

    function isTyping(target) {
      var tag = (target.tagName || "").toLowerCase();
      return tag === "input" || tag === "textarea" || tag === "select";
    }

    /* "Move to…": a list of the other themes; arrows only highlight, Enter or a click moves
       the idea, and the focus follows the card into its new theme. */
    function moveMenu(idea, themes) {
      var key = "move-" + idea.id;
      var button = el("button", { class: "btn btn-small move-menu", type: "button", "aria-haspopup": "listbox",
        "aria-expanded": String(P.CardMenu.isOpen(key)), "data-focus-key": key,
        "aria-describedby": "idea-text-" + idea.id, text: t("move_to") });
      button.addEventListener("click", function () {
        var items = [{ id: null, name: t("not_placed") }].concat(themes)
          .filter(function (theme) { return theme.id !== idea.theme_id; })
          .map(function (theme) { return { value: theme.id === null ? "none" : String(theme.id), text: theme.name }; });
        P.CardMenu.open(button, { kind: "listbox", key: key, label: t("move_idea", { text: idea.text.slice(0, 40) }),
          items: items, choose: function (value) {
            pendingFocus = { key: key, theme: value };
            live.send("idea.move", { idea_id: idea.id, theme_id: value === "none" ? null : Number(value), position: 1e6 },
              function (ack) { if (!ack.ok) pendingFocus = null; });
          } });
      });
      return button;
    }

    function card(idea, themes, state) {
      var also = Array.from(state.ideas.values()).filter(function (i) { return i.merged_into === idea.id; });
      var body = [el("bdi", { class: "text", id: "idea-text-" + idea.id, text: idea.text }), el("span", { class: "count", text: String(idea.votes) })];
      if (idea.hidden) body.push(el("span", { class: "hidden-note", text: t("hidden_note") }));
      if (also.length) {
        var quotes = [document.createTextNode(t("also_said") + " ")];
        also.forEach(function (i, n) {
          if (n) quotes.push(document.createTextNode(" · "));
          quotes.push(el("bdi", { text: "“" + i.text + "”" }));
        });
        body.push(el("span", { class: "also" }, quotes));
      }
      if (hints && idea.theme_id == null) body.push(hints.chip(idea));  // "→ theme", never a move by itself
      var tools = el("span", { class: "card-tools" }, [moveMenu(idea, themes), moderationMenu(idea)]);
      if (mergeSource !== null && mergeSource !== idea.id) {  // "Merge…" is in the Moderate menu
        var here = el("button", { class: "btn btn-small btn-primary", type: "button", text: t("merge_here"),
                                  "data-focus-key": "merge-" + idea.id });
        here.addEventListener("click", function () {
          live.send("idea.merge", { idea_id: mergeSource, into_id: idea.id });
          mergeSource = null;
        });
        tools.appendChild(here);
      }
      body.push(tools);
      if (editing === idea.id) body[0] = editor(idea);
      var classes = "board-card" + (mergeSource === idea.id ? " merging" : "") +
        (idea.hidden ? " is-hidden" : "") + (idea.pinned ? " is-pinned" : "");
      return el("li", { class: classes, "data-idea-id": String(idea.id) }, body);
    }

    function moderationMenu(idea) {
      var key = "moderate-" + idea.id;
      var button = el("button", { class: "btn btn-small moderate-menu", type: "button", "aria-haspopup": "menu",
        "aria-expanded": String(P.CardMenu.isOpen(key)), "data-focus-key": key,
        "aria-describedby": "idea-text-" + idea.id, text: t("moderate") });
      button.addEventListener("click", function () {
        P.CardMenu.open(button, { kind: "menu", key: key, label: t("moderate_idea", { text: idea.text.slice(0, 40) }),
          items: [{ value: "pin", text: idea.pinned ? t("unpin") : t("pin") },
                  { value: "hide", text: idea.hidden ? t("unhide") : t("hide") },
                  { value: "merge", text: t("merge") }, { value: "edit", text: t("edit") },
                  { value: "delete", text: t("delete") }],
          choose: function (v) {
            if (v === "pin") live.send("idea.pin", { idea_id: idea.id, pinned: !idea.pinned });
            if (v === "hide") live.send("idea.hide", { idea_id: idea.id, hidden: !idea.hidden });
            if (v === "delete") live.send("idea.delete", { idea_id: idea.id });
            if (v === "edit") { editing = idea.id; draw(live.state); }
            if (v === "merge") { mergeSource = idea.id; draw(live.state); }
          } });
      });
      return button;
    }

    function editor(idea) {
      var area = el("textarea", { class: "edit-text", maxlength: String(P.vocabulary().limits.idea), "aria-label": t("edit") });
      area.value = idea.text;
      var save = el("button", { class: "btn btn-small btn-primary", type: "button", text: t("save") });
      save.addEventListener("click", function () {
        live.send("idea.edit", { idea_id: idea.id, text: area.value });
        editing = null;
      });
      setTimeout(function () { area.focus(); }, 0);
      return el("span", { class: "editor" }, [area, save]);
    }

    /* A theme's box head: its full name (a text area that wraps between words and grows),
       then its colour, its place and delete. */
    function header(theme, count) {
      var tally = el("span", { class: "theme-count muted", text: String(count) });
      if (theme.id === null) return el("div", { class: "theme-head" }, [el("h3", { class: "theme-title", text: t("not_placed") }), tally]);
      var name = el("textarea", { class: "theme-name", rows: "1", dir: "auto", maxlength: String(P.vocabulary().limits.theme_name),
                                  "aria-label": t("theme_name"), "data-focus-key": "name-" + theme.id });
      name.textContent = theme.name;  // also its defaultValue: a redraw waits while it differs
      function rename() {
        var value = name.value.replace(/\s+/g, " ").trim();
        if (!value) { name.value = theme.name; return; }
        if (value !== theme.name) live.send("theme.rename", { theme_id: theme.id, name: value });
        name.defaultValue = name.value;
      }
      name.addEventListener("change", rename);
      name.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); rename(); }
      });
      var colour = el("input", { type: "color", value: theme.colour, "aria-label": t("theme_colour", { name: theme.name }),
                                 "data-focus-key": "colour-" + theme.id });
      colour.addEventListener("change", function () { live.send("theme.recolour", { theme_id: theme.id, colour: colour.value }); });
      var remove = el("button", { class: "btn btn-small btn-danger", type: "button", text: "×", "aria-label": t("delete_theme", { name: theme.name }) });
      remove.addEventListener("click", function () { live.send("theme.delete", { theme_id: theme.id }); });
      var left = el("button", { class: "btn btn-small", type: "button", text: "◀", "aria-label": t("theme_left", { name: theme.name }),
                                "data-focus-key": "left-" + theme.id });
      var right = el("button", { class: "btn btn-small", type: "button", text: "▶", "aria-label": t("theme_right", { name: theme.name }),
                                 "data-focus-key": "right-" + theme.id });
      left.addEventListener("click", function () { shiftTheme(theme.id, -1); });
      right.addEventListener("click", function () { shiftTheme(theme.id, 1); });
      return el("div", { class: "theme-head" }, [name, el("div", { class: "theme-tools" }, [colour, left, right, tally, remove])]);
    }

    /* Reorder themes: one place left or right (keyboard and mouse alike). */
    function shiftTheme(themeId, step) {
      var order = P.grouped(live.state).filter(function (g) { return g.theme; }).map(function (g) { return g.theme.id; });
      var at = order.indexOf(themeId), to = at + step;
      if (at < 0 || to < 0 || to >= order.length) return;
      order.splice(at, 1);
      order.splice(to, 0, themeId);
      live.send("theme.reorder", { order: order });
    }

    /* A press on the board holds redraws until it is over: a redraw between the button's
       press and release would replace it, and the click would be lost. */
    var pressing = false;
    root.addEventListener("pointerdown", function () { pressing = true; });
    function released() {
      if (!pressing) return;
      pressing = false;
      drawHeldBack();  // after the click this release belongs to
    }
    ["pointerup", "pointercancel"].forEach(function (type) { document.addEventListener(type, released, true); });
    window.addEventListener("blur", released);

    function busy() {
      if (pressing) return true;
      var active = document.activeElement;
      if (!active || !root.contains(active)) return false;
      if (editing !== null && active.classList.contains("edit-text")) return true;
      return active.classList.contains("theme-name") && active.value !== active.defaultValue;  // typing a name
    }
    root.addEventListener("focusout", drawHeldBack);
    /* The redraw that busy() held back, once the event at hand is over. */
    function drawHeldBack() {
      setTimeout(function () { if (pendingDraw && !dragging && !busy()) draw(live.state); }, 0);
    }

    function find(key) { return key ? columns.querySelector('[data-focus-key="' + key + '"]') : null; }

    /* The focus stays on the same control of the same card or theme across a redraw; after
       "Move to…" it follows the card into its new theme. */
    function restoreFocus(keep) {
      if (pendingFocus) {
        var moved = find(pendingFocus.key);
        if (moved) {
          moved.focus();
          if (moved.closest(".board-list").getAttribute("data-theme-id") === pendingFocus.theme) pendingFocus = null;
          return;
        }
      }
      var node = find(keep);
      if (node) node.focus({ preventScroll: true });
    }

    function draw(state) {
      if (dragging || busy()) { pendingDraw = true; return; }
      pendingDraw = false;
      if (!state.workshop) return;
      root.querySelector(".merge-hint").hidden = mergeSource === null;
      var active = document.activeElement;
      var keep = active && columns.contains(active) ? active.getAttribute("data-focus-key") : null;
      var scrolled = {};  // each box keeps its own scroll position
      columns.querySelectorAll(".board-list").forEach(function (l) { scrolled[l.getAttribute("data-theme-id")] = l.scrollTop; });
      sortables.forEach(function (s) { s.destroy(); });
      sortables = [];
      columns.textContent = "";
      var groups = P.grouped(state, true);
      var themes = groups.filter(function (g) { return g.theme; }).map(function (g) { return g.theme; });
      groups.unshift(groups.pop());  // "not placed yet" first on the console: it is the inbox
      groups.forEach(function (group) {
        var theme = group.theme || { id: null };
        var id = theme.id === null ? "none" : String(theme.id);
        var list = el("ul", { class: "board-list", "data-theme-id": id });
        group.ideas.forEach(function (idea) { list.appendChild(card(idea, themes, state)); });
        var column = el("section", { class: "board-column" + (theme.id === null ? " is-inbox" : "") }, [header(theme, group.ideas.length), list]);
        if (theme.colour) column.style.borderTopColor = theme.colour;
        columns.appendChild(column);
        if (scrolled[id]) list.scrollTop = scrolled[id];
        if (window.Sortable) sortables.push(window.Sortable.create(list, {
          group: "board", animation: 150, filter: "select,button,input,textarea", preventOnFilter: false,
          onStart: function () { dragging = true; },
          onEnd: function (evt) {
            dragging = false;
            var target = evt.to.getAttribute("data-theme-id");
            live.send("idea.move", { idea_id: Number(evt.item.getAttribute("data-idea-id")),
                                     theme_id: target === "none" ? null : Number(target), position: evt.newIndex });
            if (pendingDraw) draw(live.state);
          }
        }));
      });
      restoreFocus(keep);
    }
    return draw;
  }

  P.Board = { mount: mount };
})();
