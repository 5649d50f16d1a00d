/* Phone: bilateral meetings (docs/PROTOCOL.md, "Meetings"). Loaded before phone.js: it
 * wraps Plenary.connect so that the phone's one live connection also carries the meetings
 * (its socket, its joins and its outbox), without phone.js knowing.
 * - On every join: `meetings.mine` (the whole agenda; the server puts this socket in the
 *   person's room). Then `meeting.*` envelopes {version, type, data: {meeting}}: the next
 *   version is applied, an old one ignored, a gap asks `meetings.mine` again.
 * - Writes (`meeting.request`, `.accept`, `.decline`, `.cancel`, `.block`) go through the
 *   outbox like every write; their errors are shown next to the card.
 */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el, t = P.t;
  var $ = function (id) { return document.getElementById(id); };
  var lang = document.documentElement.lang || undefined;

  function when(start, end) {
    var d = new Date(start);   // the venue's wall-clock time, shown as such
    var day = d.toLocaleDateString(lang, { weekday: "short", day: "numeric", month: "short" });
    return day + " " + start.slice(11, 16) + "–" + end.slice(11, 16);
  }

  function nameOf(other) {
    return other.name || other.organisation || other.region || "—";
  }

  function who(other) {
    return el("bdi", { text: [other.name, other.organisation, other.region].filter(Boolean).join(" · ") || "—" });
  }

  function contactLink(contact) {
    if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact)) return el("a", { href: "mailto:" + contact, text: contact });
    if (/^https?:\/\//i.test(contact)) return el("a", { href: contact, rel: "noopener", target: "_blank", text: contact });
    return el("span", { text: contact });
  }

  function mount(live) {
    var agenda = null, asking = false, people = null, optedIn = null;
    var picking = {};  // request id -> the common free slots offered, while choosing a time

    function announce(text) { $("mt-announcer").textContent = text; }

    function ask() {
      if (asking) return;
      asking = true;
      live.ask("meetings.mine", { since: agenda ? agenda.version : 0 }, function (answer) {
        asking = false;
        if (!answer) return;
        agenda = answer;
        draw();
        if (agenda.opted_in && agenda.open && people === null) search();
      }, 5000);
    }

    function search(event) {
      if (event) event.preventDefault();
      live.ask("meetings.people", { query: $("mt-query").value, kind: $("mt-kind").value }, function (answer) {
        people = answer ? answer.people : [];
        drawPeople();
      }, 5000);
    }

    function onEnvelope(env) {
      if (!agenda) { ask(); return; }
      if (env.version <= agenda.version) return;
      if (env.version > agenda.version + 1) { ask(); return; }
      agenda.version = env.version;
      var m = env.data.meeting, name = nameOf(m.other);
      agenda.meetings = agenda.meetings.filter(function (x) { return x.id !== m.id; }).concat([m]);
      if (env.type === "meeting.requested" && m.direction === "in") announce(t("mt.requested_live", { name: name }));
      else if (env.type === "meeting.accepted") announce(t("mt.accepted_live", { name: name, when: when(m.start, m.end), table: m.table }));
      else announce(t("mt.changed_live", { name: name }));
      if (people) people.forEach(function (p) {
        if (p.person_id === m.person_id) p.status = (m.status === "pending" || m.status === "accepted") ? m.status : null;
      });
      draw();
    }
    P.vocabulary().meeting_change_types.forEach(function (type) { live.socket.on(type, onEnvelope); });

    function send(event, fields, errorNode) {
      live.send(event, fields, function (ack) {
        if (!ack.ok && errorNode) { errorNode.textContent = ack.error; errorNode.hidden = false; }
        if (ack.ok && event === "meeting.request") announce(t("mt.sent"));
      });
    }

    function button(label, cls, onClick, described) {
      var b = el("button", { class: "btn btn-small " + (cls || ""), type: "button", text: label });
      if (described) b.setAttribute("aria-label", described);
      b.addEventListener("click", onClick);
      return b;
    }

    function card(m) {
      var name = nameOf(m.other), error = el("p", { class: "error", role: "alert", hidden: "" });
      var lines = [el("div", { class: "mt-who" }, [who(m.other)])];
      if (m.start) lines.unshift(el("div", { class: "mt-when", text: t("mt.at", { when: when(m.start, m.end), table: m.table }) }));
      if (m.message) lines.push(el("p", { class: "mt-message", dir: "auto", text: "“" + m.message + "”" }));
      if (m.shared.length) lines.push(el("div", { class: "muted", text: t("shared_themes", { themes: m.shared.join(", ") }) }));
      if (m.other.contact) lines.push(el("div", { class: "contact" }, [contactLink(m.other.contact)]));
      var actions = el("div", { class: "toolbar" });
      if (m.status === "pending" && m.direction === "in") {
        lines.unshift(el("strong", { text: t("mt.asks", { name: name }) }));
        actions.appendChild(button(t("mt.accept"), "btn-primary", function () { send("meeting.accept", { request_id: m.id }, error); },
          t("mt.accept_earliest", { name: name })));
        actions.appendChild(button(t("mt.choose_time"), "", function () { offerSlots(m, error); }));
        actions.appendChild(button(t("mt.decline"), "", function () { send("meeting.decline", { request_id: m.id }, error); }));
        actions.appendChild(button(t("mt.block"), "btn-danger", function () {
          if (window.confirm(t("mt.block_confirm", { name: name }))) send("meeting.block", { person_id: m.person_id, report: true }, error);
        }));
      } else if (m.status === "pending") {
        lines.unshift(el("strong", { text: t("mt.waiting", { name: name }) }));
        actions.appendChild(button(t("mt.withdraw"), "", function () { send("meeting.cancel", { request_id: m.id }, error); }));
      } else if (m.status === "accepted") {
        lines.unshift(el("strong", { text: t("mt.with", { name: name }) }));
        actions.appendChild(button(t("mt.cancel_meeting"), "", function () {
          if (window.confirm(t("mt.cancel_confirm", { name: name }))) send("meeting.cancel", { request_id: m.id }, error);
        }));
        lines.push(listing(m, name, error));
      } else {
        lines.unshift(el("span", { class: "muted", text: t("mt." + m.status) }));
      }
      var pick = m.status === "pending" && m.direction === "in" && picking[m.id] ? slotPicker(m, error) : null;
      return el("li", { class: "mt-card mt-" + m.status, "data-meeting": String(m.id) }, lines.concat([actions, pick, error]));
    }

    /* "Choose a time": the free slots both people share (meetings.slots), then Accept at
       the one chosen; a table is still given by the server. */
    function offerSlots(m, error) {
      live.ask("meetings.slots", { request_id: m.id }, function (answer) {
        if (!answer) return;
        if (!answer.slots.length) { error.textContent = t("mt.no_common_slot"); error.hidden = false; return; }
        picking[m.id] = answer.slots;
        draw();
        var select = document.getElementById("mt-slot-" + m.id);
        if (select) select.focus();
      }, 5000);
    }

    function slotPicker(m, error) {
      var id = "mt-slot-" + m.id, minutes = agenda.plan.slot_minutes;
      var select = el("select", { id: id }, picking[m.id].map(function (slot) {
        var end = new Date(new Date(slot + ":00Z").getTime() + minutes * 60000).toISOString().slice(0, 16);
        return el("option", { value: slot, text: when(slot, end) });
      }));
      return el("div", { class: "mt-pick" }, [el("label", { for: id, text: t("mt.time") }), select,
        button(t("mt.accept_at"), "btn-primary", function () {
          send("meeting.accept", { request_id: m.id, slot: select.value }, error);
          delete picking[m.id];
        })]);
    }

    function listing(m, name, error) {
      // my side of "list our meeting in the public roadmap"; listed only when both agree
      var id = "mt-list-" + m.id, box = el("input", { id: id, type: "checkbox" });
      box.checked = !!m.listed;
      box.addEventListener("change", function () { send("meeting.list", { request_id: m.id, listed: box.checked }, error); });
      return el("div", { class: "mt-listing" }, [box, el("label", { for: id, text: t("mt.list") }),
        el("div", { class: "muted", text: t(m.other_listed ? "mt.other_listed" : "mt.other_not_listed", { name: name }) })]);
    }

    function draw() {
      var show = !!(agenda && agenda.plan);
      $("meetings").hidden = !show;
      if (!show) return;
      $("mt-optin").hidden = agenda.opted_in;
      $("mt-find").hidden = !agenda.opted_in || !agenda.open;
      $("mt-note").textContent = !agenda.open ? t("mt.closed") : t("mt.slots_left", { minutes: agenda.plan.slot_minutes });
      var items = agenda.workshops.map(function (w) {
        return { start: w.start, node: el("li", { class: "mt-card mt-workshop" }, [
          el("div", { class: "mt-when", text: when(w.start, w.end) }),
          el("strong", { text: t("mt.workshop") + ": " }), el("bdi", { text: w.title })]) };
      }).concat(agenda.meetings.filter(function (m) { return m.status === "accepted"; }).map(function (m) {
        return { start: m.start, node: card(m) };
      }));
      items.sort(function (a, b) { return a.start < b.start ? -1 : a.start > b.start ? 1 : 0; });
      var list = $("mt-agenda");
      list.textContent = "";
      items.forEach(function (i) { list.appendChild(i.node); });
      $("mt-agenda-empty").hidden = items.length > 0;
      var requests = agenda.meetings.filter(function (m) { return m.status !== "accepted"; });
      requests.sort(function (a, b) { return (a.status === "pending" ? 0 : 1) - (b.status === "pending" ? 0 : 1) || b.id - a.id; });
      var rlist = $("mt-requests");
      rlist.textContent = "";
      requests.slice(0, 30).forEach(function (m) { rlist.appendChild(card(m)); });
      $("mt-requests-empty").hidden = requests.length > 0;
    }

    function drawPeople() {
      var list = $("mt-people");
      list.textContent = "";
      $("mt-people-note").textContent = people && !people.length ? t("mt.no_people") : "";
      (people || []).forEach(function (p) {
        var error = el("p", { class: "error", role: "alert", hidden: "" });
        var item = el("li", { class: "mt-card mt-person" }, [
          el("div", { class: "mt-who" }, [el("strong", {}, [who(p)])]),
          p.suggested ? el("div", { class: "mt-suggested", text: t("mt.suggested") }) : null,
          p.themes.length ? el("div", { class: "muted", dir: "auto", text: t("mt.their_themes", { themes: p.themes.join(", ") }) }) : null]);
        if (p.status) {
          item.appendChild(el("div", { class: "muted", text: p.status === "accepted" ? t("mt.meeting_booked") : t("mt.requested_already") }));
        } else {
          item.appendChild(button(t("mt.request"), "btn-primary", function () { openForm(item, p, error); },
                                  t("mt.request") + ": " + nameOf(p)));
        }
        item.appendChild(error);
        list.appendChild(item);
      });
    }

    function openForm(item, p, error) {
      if (item.querySelector("form")) return;
      var id = "mt-msg-" + p.person_id;
      var text = el("textarea", { id: id, rows: "2", maxlength: String(P.vocabulary().limits.meeting_message), dir: "auto" });
      var form = el("form", { class: "mt-form" }, [
        el("label", { for: id, text: t("mt.message_for", { name: nameOf(p) }) }), text,
        el("div", { class: "toolbar" }, [el("button", { class: "btn btn-primary btn-small", type: "submit", text: t("mt.send") })])]);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        p.status = "pending";
        send("meeting.request", { person_id: p.person_id, message: text.value }, error);
        form.remove();
        drawPeople();
      });
      item.insertBefore(form, error);
      text.focus();
    }

    $("mt-search").addEventListener("submit", search);
    $("mt-open-profile").addEventListener("click", function () {
      $("profile").open = true;
      $("profile").scrollIntoView({ block: "start" });
      $("p-match").focus();
    });

    return {
      changed: function (state, reason) {
        var now = !!(state.me && state.me.profile && state.me.profile.match_opt_in);
        if (reason === "joined" || (optedIn !== null && now !== optedIn)) { people = null; ask(); }
        optedIn = now;
      }
    };
  }

  var connect = P.connect;
  P.connect = function (config, hooks) {
    var meetings = null;
    var wrapped = Object.assign({}, hooks, {
      onChange: function (state, reason) {
        if (hooks && hooks.onChange) hooks.onChange(state, reason);
        if (meetings) meetings.changed(state, reason);
      }
    });
    var live = connect(config, wrapped);
    if (config.role === "attendee" && $("meetings")) meetings = mount(live);
    return live;
  };
})();
