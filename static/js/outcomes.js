/* Console: what the workshop concluded. Per theme (or top idea), ranked by votes: its
 * support, a one-paragraph conclusion (saved with the button or when leaving the field)
 * and its action items (what, owner, horizon) with add, inline edit and delete.
 * Two facilitators may work at once: the other's changes arrive as deltas and never
 * overwrite what is being typed here (a note says when the saved text changed meanwhile).
 * Usage: var outcomes = Plenary.Outcomes.mount(live, root); outcomes.draw(state) on every
 *        change, outcomes.changed(reason) with the change's reason (support refresh).
 */
(function () {
  "use strict";
  var P = window.Plenary, R = P.Results, el = P.el, t = P.t;
  var LIMITS = P.vocabulary().limits;

  /* The conclusion as the server keeps it: each line's spaces collapsed, trimmed. */
  function norm(text) {
    return (text || "").trim().split(/\r?\n/).map(function (line) { return line.split(/\s+/).filter(Boolean).join(" "); }).join("\n");
  }

  function mount(live, root) {
    var list = root.querySelector(".outcome-list");
    var empty = root.querySelector(".no-outcomes");
    var cards = new Map();   // target key -> {node, parts, saved (conclusion text last seen)}
    var closed = false;

    function field(id, label, input) {
      return el("div", { class: "form-row" }, [el("label", { for: id, text: label }), input]);
    }

    function horizonSelect(id, value) {
      var select = el("select", { id: id, name: "horizon" });
      R.HORIZONS.forEach(function (h) {
        var option = el("option", { value: h, text: t("horizon." + h) });
        if (h === value) option.selected = true;
        select.appendChild(option);
      });
      return select;
    }

    /* The three fields of an action item, for adding (prefix "new") or editing. */
    function actionFields(prefix, action) {
      var what = el("input", { id: prefix + "-what", name: "what", maxlength: String(LIMITS.action_what), "aria-required": "true" });
      var owner = el("input", { id: prefix + "-owner", name: "owner", maxlength: String(LIMITS.action_owner), placeholder: t("owner_hint") });
      what.value = action ? action.what : "";
      owner.value = action ? action.owner : "";
      return el("div", { class: "action-fields" }, [field(prefix + "-what", t("what"), what),
        field(prefix + "-owner", t("owner"), owner),
        field(prefix + "-horizon", t("horizon"), horizonSelect(prefix + "-horizon", action ? action.horizon : "short"))]);
    }

    function status(node, text, isError) {
      node.textContent = text;
      node.className = "status " + (isError ? "error" : "muted");
    }

    function makeCard(target) {
      var base = "o-" + target.kind + "-" + target.id;
      var title = el("h3", { id: base + "-title" });
      var textarea = el("textarea", { id: base + "-conclusion", rows: "3", maxlength: String(LIMITS.conclusion), class: "conclusion-text", dir: "auto",
        "aria-describedby": base + "-title" });
      var save = el("button", { class: "btn btn-small btn-primary", type: "button", text: t("save_conclusion") });
      var saveStatus = el("span", { class: "status muted", role: "status" });
      var actions = el("ul", { class: "action-items" });
      var addForm = el("form", { class: "action-form" }, [actionFields(base + "-new"),
        el("button", { class: "btn btn-small", type: "submit", text: t("add_action") })]);
      var addError = el("p", { class: "error", role: "alert" });
      var node = el("article", { class: "outcome", "aria-labelledby": base + "-title" }, [
        el("header", { class: "outcome-head" }, [title, el("span", { class: "votes" })]),
        el("p", { class: "support muted" }),
        el("label", { for: textarea.id, class: "conclusion-label", text: t("conclusion") }), textarea,
        el("div", { class: "toolbar" }, [save, saveStatus]),
        el("h4", { text: t("actions") }), actions, el("p", { class: "no-actions muted", text: t("no_actions") }),
        addForm, addError]);
      textarea.value = target.conclusion;
      var card = { node: node, target: target, saved: target.conclusion, editing: null };

      function saveConclusion() {
        if (norm(textarea.value) === norm(card.saved) && !card.conflict) return;
        status(saveStatus, t("saving"));
        var fields = { text: textarea.value };
        fields[card.target.kind + "_id"] = card.target.id;
        live.send("conclusion.set", fields, function (ack) {
          if (!ack.ok) { status(saveStatus, ack.error, true); return; }
          card.saved = norm(fields.text);
          card.conflict = false;
          status(saveStatus, t("saved"));
        });
      }
      save.addEventListener("click", saveConclusion);
      textarea.addEventListener("blur", function (event) {
        // leaving the field saves, unless someone else changed the text meanwhile: then
        // only the button replaces theirs
        if (event.relatedTarget !== save && !card.conflict) saveConclusion();
      });
      addForm.addEventListener("submit", function (event) {
        event.preventDefault();
        var f = addForm.elements;
        if (!f.what.value.trim()) { addError.textContent = t("empty_action"); f.what.focus(); return; }
        var fields = { what: f.what.value, owner: f.owner.value, horizon: f.horizon.value };
        fields[card.target.kind + "_id"] = card.target.id;
        addError.textContent = "";
        live.send("action.add", fields, function (ack) {
          if (!ack.ok) { addError.textContent = ack.error; return; }
          f.what.value = ""; f.owner.value = "";
          if (addForm.contains(document.activeElement) || document.activeElement === document.body) f.what.focus();
        });
      });
      card.parts = { title: title, votes: node.querySelector(".votes"), support: node.querySelector(".support"),
        textarea: textarea, saveStatus: saveStatus, actions: actions, noActions: node.querySelector(".no-actions"),
        save: save, addForm: addForm };
      return card;
    }

    function actionRow(card, action) {
      var what = el("bdi", { class: "what", text: action.what });
      var meta = el("span", { class: "meta muted", text: (action.owner ? t("owned_by", { owner: action.owner }) + " · " : "") + t("horizon." + action.horizon) });
      var edit = el("button", { class: "btn btn-small", type: "button", text: t("edit_short"), "aria-label": t("edit_action", { what: action.what }) });
      var remove = el("button", { class: "btn btn-small btn-danger", type: "button", text: t("delete"), "aria-label": t("delete_action", { what: action.what }) });
      var error = el("p", { class: "error", role: "alert" });
      edit.addEventListener("click", function () { card.editing = action.id; drawCard(card, card.target, true); });
      remove.addEventListener("click", function () {
        live.send("action.delete", { action_id: action.id }, function (ack) { if (!ack.ok) error.textContent = ack.error; });
      });
      if (closed) { edit.disabled = true; remove.disabled = true; }
      return el("li", { class: "action-item", "data-action": String(action.id) }, [
        el("div", { class: "action-text" }, [what, meta]), el("div", { class: "toolbar" }, [edit, remove]), error]);
    }

    function editRow(card, action) {
      var prefix = "o-action-" + action.id;
      var error = el("p", { class: "error", role: "alert" });
      var form = el("form", { class: "action-form is-editing" }, [actionFields(prefix, action),
        el("div", { class: "toolbar" }, [el("button", { class: "btn btn-small btn-primary", type: "submit", text: t("save") }),
          el("button", { class: "btn btn-small cancel", type: "button", text: t("cancel") })]), error]);
      function stop() { card.editing = null; drawCard(card, card.target, true); focusRow(card, action.id); }
      form.querySelector(".cancel").addEventListener("click", stop);
      form.addEventListener("keydown", function (event) { if (event.key === "Escape") { event.preventDefault(); stop(); } });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var f = form.elements;
        live.send("action.update", { action_id: action.id, what: f.what.value, owner: f.owner.value, horizon: f.horizon.value },
          function (ack) { if (ack.ok) stop(); else error.textContent = ack.error; });
      });
      setTimeout(function () { form.elements.what.focus(); }, 0);
      return el("li", { class: "action-item", "data-action": String(action.id) }, [form]);
    }

    /* Keep keyboard users where they were: on the same action's first button or, when it
       was just deleted, on the next one (or the new action's first field). */
    function focusRow(card, id, index) {
      var row = card.parts.actions.querySelector('[data-action="' + id + '"] .btn');
      if (!row && index !== undefined) {
        var items = card.parts.actions.querySelectorAll(".action-item");
        var next = items[Math.min(index, items.length - 1)];
        row = next ? next.querySelector(".btn") : card.parts.addForm.elements.what;
      }
      if (row) row.focus();
    }

    function drawCard(card, target, force) {
      var p = card.parts;
      card.target = target;
      var rank = card.rank ? card.rank + ". " : "";
      p.title.textContent = rank + (target.kind === "idea" ? t("idea_label") + ": " : "");
      p.title.appendChild(el("bdi", { text: target.name }));  // user text: its own direction
      p.votes.textContent = P.votes(target.votes);
      card.node.style.borderLeftColor = target.colour || "";
      var segments = R.supportOf(live.state, target);
      p.support.textContent = segments ? R.supportSentence(segments) : "";
      // the conclusion: follow the saved text unless this facilitator is changing it
      var typing = document.activeElement === p.textarea || norm(p.textarea.value) !== norm(card.saved);
      if (!typing) { p.textarea.value = target.conclusion; card.saved = target.conclusion; }
      else if (norm(target.conclusion) !== norm(card.saved)) {
        if (norm(p.textarea.value) === norm(target.conclusion)) { card.saved = target.conclusion; }
        else { card.conflict = true; card.saved = target.conclusion; status(p.saveStatus, t("changed_elsewhere"), true); }
      }
      p.textarea.disabled = p.save.disabled = closed;
      p.addForm.hidden = closed;
      // the action items: redrawn, except the one being edited here
      var editingNode = card.editing !== null ? p.actions.querySelector(".is-editing") : null;
      var focusedRow = document.activeElement && p.actions.contains(document.activeElement) && !editingNode
        ? document.activeElement.closest("[data-action]") : null;
      var focusedAction = focusedRow ? focusedRow.getAttribute("data-action") : null;
      var focusedIndex = focusedRow ? Array.prototype.indexOf.call(p.actions.children, focusedRow) : undefined;
      var wanted = target.actions.map(function (a) { return a.id; });
      if (card.editing !== null && wanted.indexOf(card.editing) < 0) card.editing = null;  // deleted meanwhile
      var signature = JSON.stringify(target.actions) + "|" + card.editing + "|" + closed;
      if (!force && signature === card.signature) return;
      card.signature = signature;
      var keep = editingNode && !force ? editingNode.closest("li") : null;
      p.actions.textContent = "";
      target.actions.forEach(function (action) {
        if (action.id === card.editing) p.actions.appendChild(keep || editRow(card, action));
        else p.actions.appendChild(actionRow(card, action));
      });
      p.noActions.hidden = target.actions.length > 0;
      if (focusedAction) focusRow(card, focusedAction, focusedIndex);
    }

    function draw(state) {
      if (!state.workshop) return;
      var phase = state.workshop.phase;
      root.hidden = phase === "draft" || phase === "collecting";
      document.querySelector(".console").classList.toggle("is-results", phase === "results" || phase === "closed");
      closed = phase === "closed";
      var targets = R.targets(state, 10);
      var ranks = P.rankOf(targets);  // ties share a rank, as on the projector and in exports
      var seen = new Set();
      var order = targets.map(function (target, i) {
        var card = cards.get(target.key);
        if (!card) { card = makeCard(target); cards.set(target.key, card); }
        card.rank = ranks[i];
        seen.add(target.key);
        drawCard(card, target);
        return card.node;
      });
      cards.forEach(function (card, key) {
        if (!seen.has(key) && !card.node.contains(document.activeElement)) { card.node.remove(); cards.delete(key); }
      });
      // re-order only when needed, and never under the facilitator's cursor
      var current = Array.from(list.children);
      var same = current.length === order.length && order.every(function (n, i) { return current[i] === n; });
      if (!same && !list.contains(document.activeElement)) order.forEach(function (n) { list.appendChild(n); });
      else order.forEach(function (n) { if (!n.isConnected) list.appendChild(n); });
      empty.hidden = targets.length > 0;
    }

    var refreshSupport = R.watchSupport(live, function () { draw(live.state); });
    return { draw: draw, changed: refreshSupport };
  }

  P.Outcomes = { mount: mount };
})();
