/* The console's Projector card (templates/_projector_controls.html): page the projectors
 * (buttons, or PageUp/PageDown anywhere but a text field), put one idea in the spotlight,
 * hide vote counts until the results, turn pages automatically, shrink the join panel.
 * Everything goes through `projector.set` (docs/PROTOCOL.md); what the card shows is the
 * server's state, so two facilitators stay in step.
 *
 * Usage: P.ProjectorControls.mount(live, root). The card follows the live state by itself
 * (it looks at the state's version a few times a second), so the console needs no hook.
 */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t;
  var TYPING = /^(INPUT|TEXTAREA|SELECT)$/;

  function mount(live, root) {
    if (!root) return;
    var part = function (name) { return root.querySelector('[data-projector="' + name + '"]'); };
    var listed = "";

    function isTurn(entry) { return entry.event === "projector.set" && "page" in entry.fields; }

    function view() {
      return (live.state.workshop && live.state.workshop.projector) || { page: 0 };
    }

    function set(fields) {
      live.send("projector.set", fields, function (ack) {
        part("error").textContent = ack.ok ? "" : ack.error;
      });
    }

    // pages asked for but not yet confirmed count, so two quick presses turn two pages
    var asked = null, seen = null;
    function turn(by) {
      asked = Math.max(0, Math.min(999, (asked === null ? view().page : asked) + by));
      set({ page: asked });
    }

    root.querySelectorAll("[data-projector-page]").forEach(function (button) {
      button.addEventListener("click", function () { turn(Number(button.dataset.projectorPage)); });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "PageDown" && event.key !== "PageUp") return;
      var target = event.target;
      if (TYPING.test(target.tagName) || target.isContentEditable) return;
      event.preventDefault();
      turn(event.key === "PageDown" ? 1 : -1);
    });
    part("spotlight").addEventListener("click", function () {
      var id = Number(part("idea").value);
      if (id) set({ spotlight_idea_id: id });
      else part("error").textContent = t("no_idea_number");
    });
    part("spotlight-off").addEventListener("click", function () { set({ spotlight_idea_id: null }); });
    part("hide-tallies").addEventListener("change", function (event) {
      set({ hide_tallies: event.target.checked });
    });
    part("small-join").addEventListener("change", function (event) {
      set({ small_join: event.target.checked });
    });
    part("auto").addEventListener("change", function (event) {
      set({ auto_advance: Number(event.target.value) });
    });

    /* The ideas the room sees, by number, to pick one for the spotlight. */
    function listIdeas(state) {
      var ideas = P.visible(state.ideas).sort(function (a, b) { return a.id - b.id; });
      var key = ideas.map(function (i) { return i.id + ":" + i.text; }).join("\n");
      if (key === listed) return;
      listed = key;
      var select = part("idea"), chosen = select.value;
      select.textContent = "";
      ideas.forEach(function (idea) {
        var label = "#" + idea.id + " — " + (idea.text.length > 70 ? idea.text.slice(0, 69) + "…" : idea.text);
        select.appendChild(el("option", { value: String(idea.id), text: label }));
      });
      select.value = chosen;
      if (select.value !== chosen) select.selectedIndex = 0;
    }

    function draw(state) {
      if (!state.workshop) return;
      var v = view();
      if (v.page !== seen) { seen = v.page; if (!live.pending().some(isTurn)) asked = null; }
      part("page").textContent = t("projector_page", { page: v.page + 1 });
      part("spotlight-off").disabled = !v.spotlight_idea_id;
      part("hide-tallies").checked = !!v.hide_tallies;
      part("small-join").checked = !!v.small_join;
      part("auto").value = String(v.auto_advance || 0);
      listIdeas(state);
    }
    var drawn = null;
    setInterval(function () {
      var s = live.state;
      if (s.workshop && s.version !== drawn) { drawn = s.version; draw(s); }
    }, 300);
  }

  P.ProjectorControls = { mount: mount };
})();
