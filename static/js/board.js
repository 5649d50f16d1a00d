/* Facilitator board on the console: themes as columns, ideas dragged between them
 * (SortableJS: mouse and touch), a "Move to" menu for keyboard users, merge, undo.
 * Usage: var drawBoard = Plenary.Board.mount(live, document.getElementById("board"));
 *        drawBoard(live.state) on every change.
 */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t;

  function mount(live, root) {
    var dragging = false, pendingDraw = false, sortables = [], mergeSource = null, editing = null;
    var columns = root.querySelector(".board-columns");

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
        list.appendChild(el("li", {}, [el("span", { class: "what", text: what }), yes, no]));
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

    function moveMenu(idea, themes) {
      var select = el("select", { class: "move-menu", "aria-label": t("move_idea", { text: idea.text.slice(0, 40) }) });
      select.appendChild(el("option", { value: "", text: t("move_to") }));
      [{ id: null, name: t("not_placed") }].concat(themes).forEach(function (theme) {
        if (theme.id === idea.theme_id) return;
        select.appendChild(el("option", { value: theme.id === null ? "none" : String(theme.id), text: theme.name }));
      });
      select.addEventListener("change", function () {
        if (!select.value) return;
        live.send("idea.move", { idea_id: idea.id, theme_id: select.value === "none" ? null : Number(select.value), position: 1e6 });
      });
      return select;
    }

    function card(idea, themes, state) {
      var also = Array.from(state.ideas.values()).filter(function (i) { return i.merged_into === idea.id; });
      var body = [el("span", { class: "text", text: idea.text }), el("span", { class: "count", text: String(idea.votes) })];
      if (also.length) {
        body.push(el("span", { class: "also", text: t("also_said") + " " + also.map(function (i) { return "“" + i.text + "”"; }).join(" · ") }));
      }
      var tools = el("span", { class: "card-tools" }, [moveMenu(idea, themes), moderationMenu(idea)]);
      if (mergeSource === null) {
        var merge = el("button", { class: "btn btn-small", type: "button", text: t("merge") });
        merge.addEventListener("click", function () { mergeSource = idea.id; draw(live.state); });
        tools.appendChild(merge);
      } else if (mergeSource !== idea.id) {
        var here = el("button", { class: "btn btn-small btn-primary", type: "button", text: t("merge_here") });
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
      var select = el("select", { class: "moderate-menu", "aria-label": t("moderate_idea", { text: idea.text.slice(0, 40) }) });
      [["", t("moderate")], ["pin", idea.pinned ? t("unpin") : t("pin")],
       ["hide", idea.hidden ? t("unhide") : t("hide")], ["edit", t("edit")], ["delete", t("delete")]]
        .forEach(function (o) { select.appendChild(el("option", { value: o[0], text: o[1] })); });
      select.addEventListener("change", function () {
        var v = select.value;
        if (v === "pin") live.send("idea.pin", { idea_id: idea.id, pinned: !idea.pinned });
        if (v === "hide") live.send("idea.hide", { idea_id: idea.id, hidden: !idea.hidden });
        if (v === "delete") live.send("idea.delete", { idea_id: idea.id });
        if (v === "edit") { editing = idea.id; draw(live.state); }
      });
      return select;
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

    function header(theme) {
      if (theme.id === null) return el("h3", { text: t("not_placed") });
      var name = el("input", { class: "theme-name", value: theme.name, maxlength: String(P.vocabulary().limits.theme_name), "aria-label": t("theme_name") });
      name.addEventListener("change", function () { live.send("theme.rename", { theme_id: theme.id, name: name.value }); });
      var colour = el("input", { type: "color", value: theme.colour, "aria-label": t("theme_colour", { name: theme.name }) });
      colour.addEventListener("change", function () { live.send("theme.recolour", { theme_id: theme.id, colour: colour.value }); });
      var remove = el("button", { class: "btn btn-small btn-danger", type: "button", text: "×", "aria-label": t("delete_theme", { name: theme.name }) });
      remove.addEventListener("click", function () { live.send("theme.delete", { theme_id: theme.id }); });
      var left = el("button", { class: "btn btn-small", type: "button", text: "◀", "aria-label": t("theme_left", { name: theme.name }) });
      var right = el("button", { class: "btn btn-small", type: "button", text: "▶", "aria-label": t("theme_right", { name: theme.name }) });
      left.addEventListener("click", function () { shiftTheme(theme.id, -1); });
      right.addEventListener("click", function () { shiftTheme(theme.id, 1); });
      return el("div", { class: "theme-head" }, [colour, name, left, right, remove]);
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

    function draw(state) {
      if (dragging || (editing !== null && root.contains(document.activeElement) &&
                       document.activeElement.classList.contains("edit-text"))) {
        pendingDraw = true;
        return;
      }
      if (!state.workshop) return;
      root.querySelector(".merge-hint").hidden = mergeSource === null;
      sortables.forEach(function (s) { s.destroy(); });
      sortables = [];
      columns.textContent = "";
      var groups = P.grouped(state, true);
      var themes = groups.filter(function (g) { return g.theme; }).map(function (g) { return g.theme; });
      groups.unshift(groups.pop());  // "not placed yet" first on the console: it is the inbox
      groups.forEach(function (group) {
        var theme = group.theme || { id: null };
        var list = el("ul", { class: "board-list", "data-theme-id": theme.id === null ? "none" : String(theme.id) });
        group.ideas.forEach(function (idea) { list.appendChild(card(idea, themes, state)); });
        var column = el("section", { class: "board-column" }, [header(theme), list]);
        if (theme.colour) column.style.borderTopColor = theme.colour;
        columns.appendChild(column);
        if (window.Sortable) sortables.push(window.Sortable.create(list, {
          group: "board", animation: 150, filter: "select,button,input", preventOnFilter: false,
          onStart: function () { dragging = true; },
          onEnd: function (evt) {
            dragging = false;
            var target = evt.to.getAttribute("data-theme-id");
            live.send("idea.move", { idea_id: Number(evt.item.getAttribute("data-idea-id")),
                                     theme_id: target === "none" ? null : Number(target), position: evt.newIndex });
            if (pendingDraw) { pendingDraw = false; draw(live.state); }
          }
        }));
      });
    }
    return draw;
  }

  P.Board = { mount: mount };
})();
