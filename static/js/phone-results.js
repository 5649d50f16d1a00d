/* Phone, at the end: what the workshop concluded (conclusions and action items under each
 * theme or idea, live) and, for an attendee who opted in, "People to meet" (matches.mine:
 * people from other regions who backed the same themes, with their contact).
 * Usage: var results = Plenary.PhoneResults.mount(live); results.draw(state) on every
 *        change, results.changed(reason) with the change's reason.
 */
(function () {
  "use strict";
  var P = window.Plenary, R = P.Results, el = P.el, t = P.t;
  var $ = function (id) { return document.getElementById(id); };
  var EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

  function mount(live) {
    var matches = null, asking = false, signature = null;

    function atTheEnd(state) {
      return state.workshop && (state.workshop.phase === "results" || state.workshop.phase === "closed");
    }

    function drawOutcomes(state) {
      var targets = atTheEnd(state) ? R.targets(state, 10).filter(function (x) {
        return x.conclusion || x.actions.length;
      }) : [];
      $("outcomes").hidden = targets.length === 0;
      var now = JSON.stringify(targets.map(function (x) { return [x.key, x.name, x.votes, x.conclusion, x.actions]; }));
      if (now === signature) return;
      signature = now;
      var root = $("outcome-list");
      root.textContent = "";
      targets.forEach(function (target) {
        var card = el("article", { class: "card outcome-phone" }, [
          el("h3", {}, [el("bdi", { text: target.name }),
            el("span", { class: "muted", text: " · " + P.votes(target.votes) })]),
          target.conclusion ? el("p", { class: "conclusion", dir: "auto", text: target.conclusion }) : null]);
        if (target.colour) card.style.borderLeftColor = target.colour;
        R.byHorizon(target.actions).forEach(function (group) {
          card.appendChild(el("h4", { class: "horizon", text: group.label }));
          card.appendChild(el("ul", { class: "horizon-actions" }, group.actions.map(function (a) {
            return el("li", {}, [el("bdi", { class: "what", text: a.what }),
              a.owner ? el("span", { class: "muted" }, [document.createTextNode(" — "),
                el("bdi", { text: a.owner })]) : null]);
          })));
        });
        root.appendChild(card);
      });
    }

    function contactLink(contact) {
      if (EMAIL.test(contact)) return el("a", { href: "mailto:" + contact, text: contact });
      if (/^https?:\/\//i.test(contact)) return el("a", { href: contact, rel: "noopener", target: "_blank", text: contact });
      return el("bdi", { text: contact });
    }

    function drawMatches(state) {
      var show = atTheEnd(state) && state.me;
      $("matches").hidden = !show;
      if (!show) return;
      var list = $("match-list"), note = $("matches-note");
      list.textContent = "";
      if (!matches) { note.textContent = ""; return; }
      if (!matches.opted_in) {
        note.textContent = t("opt_in_first") + " ";
        var open = el("button", { class: "btn btn-small", type: "button", text: t("open_profile") });
        open.addEventListener("click", function () {
          $("profile").open = true;
          $("profile").scrollIntoView({ block: "start" });
          $("p-match").focus();
        });
        note.appendChild(open);
        return;
      }
      note.textContent = matches.matches.length ? "" : t("no_matches");
      matches.matches.forEach(function (m) {
        var who = [m.organisation, m.region].filter(Boolean).join(" · ");
        var link = contactLink(m.contact);
        list.appendChild(el("li", { class: "match" }, [
          el("strong", { class: "name" }, [el("bdi", { text: m.name || m.organisation || m.region })]),
          who ? el("div", { class: "muted", dir: "auto", text: who }) : null,
          el("div", { class: "contact" }, [link]),
          sharedLine(m.shared)]));
      });
    }

    /* "You both backed: A, B", each theme name isolated in its own direction */
    function sharedLine(names) {
      var parts = t("shared_themes", { themes: "\u0000" }).split("\u0000");
      var line = el("div", { class: "shared" }, [document.createTextNode(parts[0])]);
      names.forEach(function (name, i) {
        if (i) line.appendChild(document.createTextNode(", "));
        line.appendChild(el("bdi", { text: name }));
      });
      if (parts[1]) line.appendChild(document.createTextNode(parts[1]));
      return line;
    }

    function ask() {
      if (asking) return;
      asking = true;
      drawMatches(live.state);
      live.ask("matches.mine", {}, function (answer) {
        asking = false;
        if (answer) matches = answer;
        drawMatches(live.state);
      }, 5000);
    }
    $("matches-refresh").addEventListener("click", ask);

    function changed(reason) {
      if (!atTheEnd(live.state) || !live.state.me) return;
      if (reason === "joined" || reason === "phase.changed" || reason === "profile" || !matches) ask();
    }

    return { draw: function (state) { drawOutcomes(state); drawMatches(state); }, changed: changed };
  }

  P.PhoneResults = { mount: mount };
})();
