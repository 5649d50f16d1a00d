/* Plenary shared client: one workshop's live state over Socket.IO (docs/PROTOCOL.md).
 *
 * - On every connect: `workshop.join` with the last version applied; the answer brings the
 *   deltas since then or a snapshot.
 * - Broadcast envelopes {version, type, data} are applied in version order: old ones are
 *   ignored, a gap triggers `workshop.sync`.
 * - Writes go through an outbox kept in localStorage: each has a client_id, is resent after
 *   a timeout or a reconnect until acknowledged, and is applied once by the server. An ack
 *   with `retry_after_ms` (the connection's event budget is spent) is no answer: the entry
 *   is sent again after that long.
 *
 * Usage: const live = Plenary.connect(config, {onChange, onAck, onConnection});
 *        live.send("idea.post", {text}) -> the outbox entry.
 */
(function () {
  "use strict";
  var ACK_TIMEOUT_MS = 8000;

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function load(key, fallback) {
    try { var raw = localStorage.getItem(key); return raw ? JSON.parse(raw) : fallback; }
    catch (e) { return fallback; }
  }

  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  function connect(config, hooks) {
    hooks = hooks || {};
    var outboxKey = "plenary.outbox." + config.workshopId + "." + config.role;
    var state = {
      workshop: null, ideas: new Map(), themes: new Map(), version: null, connected: 0, me: null,
      conclusions: new Map(), actions: new Map(),  // outcomes: keyed "theme:2" / action id
      online: false, joined: false, error: null, offset: 0
    };
    var outbox = load(outboxKey, []);
    var inFlight = new Set();
    var callbacks = new Map();  // client_id -> function(ack), for this page's lifetime
    var syncing = false;
    // websocket-only when the server says so (no sticky sessions behind a load balancer)
    var socket = io({ reconnectionDelayMax: 4000,
                      transports: config.transports || ["polling", "websocket"] });

    function changed(reason) { if (hooks.onChange) hooks.onChange(state, reason); }
    function persist() { save(outboxKey, outbox); }

    function applySnapshot(snap) {
      state.workshop = snap.workshop;
      state.ideas = new Map();
      snap.ideas.forEach(function (idea) { state.ideas.set(idea.id, idea); });
      state.themes = new Map();
      (snap.themes || []).forEach(function (theme) { state.themes.set(theme.id, theme); });
      state.conclusions = new Map();
      (snap.conclusions || []).forEach(function (c) { if (c.text) state.conclusions.set(targetKey(c), c); });
      state.actions = new Map();
      (snap.actions || []).forEach(function (a) { state.actions.set(a.id, a); });
      state.version = snap.workshop.version;
    }

    function applyEnvelope(env) {
      if (state.version !== null && env.version <= state.version) return;
      var data = env.data;
      if (env.type === "idea.posted" || env.type === "idea.queued" || env.type === "idea.private") {
        // an approved idea replaces its queued copy
        var known = state.ideas.get(data.idea.id);
        if (!known || known.approved === false) state.ideas.set(data.idea.id, data.idea);
      } else if (env.type === "phase.changed") {
        state.workshop.phase = data.phase;
      } else if (env.type === "settings.changed") {
        state.workshop.vote_budget = data.vote_budget;
        state.workshop.vote_cap = data.vote_cap;
        state.workshop.premoderation = data.premoderation;
        state.workshop.hide_until_reveal = data.hide_until_reveal;
        state.workshop.vote_on = data.vote_on;
      } else if (env.type === "theme.created" || env.type === "theme.updated") {
        state.themes.set(data.theme.id, data.theme);
      } else if (env.type === "theme.deleted") {
        state.themes.delete(data.id);
      } else if (env.type === "themes.reordered") {
        data.order.forEach(function (id, position) {
          var theme = state.themes.get(id);
          if (theme) theme.position = position;
        });
      } else if (env.type === "ideas.placed") {
        data.placements.forEach(function (p) {
          var idea = state.ideas.get(p[0]);
          if (idea) { idea.theme_id = p[1]; idea.position = p[2]; }
        });
      } else if (env.type === "idea.merged" || env.type === "idea.unmerged") {
        var merged = state.ideas.get(data.id);
        if (merged) merged.merged_into = env.type === "idea.merged" ? data.into : null;
      } else if (env.type === "ideas.revealed") {
        data.ideas.forEach(function (idea) {
          state.ideas.set(idea.id, Object.assign(state.ideas.get(idea.id) || {}, idea));
        });
      } else if (env.type === "clock.changed") {
        state.workshop.clock = data;
      } else if (env.type === "projector.changed") {
        state.workshop.projector = data;
      } else if (env.type === "idea.updated") {
        if (data.idea) state.ideas.set(data.idea.id, Object.assign(state.ideas.get(data.idea.id) || {}, data.idea));
        var changedIdea = state.ideas.get(data.id);
        if (changedIdea) ["text", "hidden", "pinned", "deleted", "approved"].forEach(function (k) {
          if (k in data) changedIdea[k] = data[k];
        });
      } else if (env.type === "conclusion.changed") {
        if (data.conclusion.text) state.conclusions.set(targetKey(data.conclusion), data.conclusion);
        else state.conclusions.delete(targetKey(data.conclusion));
      } else if (env.type === "action.added" || env.type === "action.updated") {
        state.actions.set(data.action.id, data.action);
      } else if (env.type === "action.deleted") {
        state.actions.delete(data.id);
      } else if (env.type === "votes.tallied") {
        Object.keys(data.tallies).forEach(function (id) {
          var idea = state.ideas.get(Number(id));
          if (idea) idea.votes = data.tallies[id];
        });
        Object.keys(data.themes || {}).forEach(function (id) {
          var theme = state.themes.get(Number(id));
          if (theme) theme.votes = data.themes[id];
        });
      }
      state.version = env.version;
      state.workshop.version = env.version;
    }

    function applySync(ack) {
      if (ack.sync.mode === "snapshot") applySnapshot(ack.sync.snapshot);
      else ack.sync.deltas.forEach(applyEnvelope);
      if (ack.me) state.me = ack.me;
    }

    function requestSync() {
      if (syncing || !state.joined) return;
      syncing = true;
      socket.timeout(ACK_TIMEOUT_MS).emit("workshop.sync",
        { workshop_id: config.workshopId, since: state.version }, function (err, ack) {
          syncing = false;
          if (!err && ack.retry_after_ms) { setTimeout(requestSync, ack.retry_after_ms); return; }
          if (err || !ack.ok) return;
          applySync(ack);
          changed("sync");
        });
    }

    function onEnvelope(env) {
      if (!state.joined || state.version === null) return; // the join answer covers it
      if (env.version > state.version + 1) { requestSync(); return; }
      applyEnvelope(env);
      changed(env.type);
    }

    function join() {
      var sentAt = Date.now();
      socket.timeout(ACK_TIMEOUT_MS).emit("workshop.join", {
        workshop_id: config.workshopId, role: config.role, since: state.version
      }, function (err, ack) {
        if (err) { join(); return; }
        // over the connection's budget: not an answer, ask again when it says
        if (ack.retry_after_ms) { setTimeout(join, ack.retry_after_ms); return; }
        if (!ack.ok) { state.error = ack.error; changed("error"); return; }
        state.error = null;
        // the server's clock minus ours, so a phone with a wrong clock shows the right time
        if (ack.server_time) state.offset = ack.server_time - (sentAt + Date.now()) / 2;
        applySync(ack);
        state.connected = ack.connected;
        state.joined = true;
        changed("joined");
        flush();
      });
    }

    function deliver(entry) {
      if (inFlight.has(entry.clientId) || !state.joined) return;
      inFlight.add(entry.clientId);
      var payload = Object.assign({ workshop_id: config.workshopId, client_id: entry.clientId },
                                  entry.fields);
      socket.timeout(ACK_TIMEOUT_MS).emit(entry.event, payload, function (err, ack) {
        inFlight.delete(entry.clientId);
        if (err) {            // no answer: keep it, try again while connected
          if (socket.connected) setTimeout(function () { deliver(entry); }, 1500);
          return;
        }
        if (ack.retry_after_ms) {  // over the budget: not refused, just not yet
          setTimeout(function () { if (socket.connected) deliver(entry); }, ack.retry_after_ms);
          return;
        }
        outbox = outbox.filter(function (e) { return e.clientId !== entry.clientId; });
        persist();
        if (ack.ok && ack.votes_used !== undefined && state.me) {
          state.me.votes_used = ack.votes_used;
          if (ack.theme_id !== undefined) state.me.theme_votes[String(ack.theme_id)] = ack.my_dots;
          else state.me.votes[String(ack.idea_id)] = ack.my_dots;
        }
        if (ack.ok && ack.profile && state.me) state.me.profile = ack.profile;
        // my own new idea shows at once, even while the room's ideas are hidden
        if (ack.ok && ack.idea && entry.event === "idea.post" && !state.ideas.has(ack.idea.id)) {
          state.ideas.set(ack.idea.id, ack.idea);
        }
        if (hooks.onAck) hooks.onAck(entry, ack);
        if (callbacks.has(entry.clientId)) { callbacks.get(entry.clientId)(ack); callbacks.delete(entry.clientId); }
        changed("ack");
      });
    }

    function flush() { outbox.forEach(deliver); }

    function send(event, fields, onDone) {
      var entry = { clientId: newClientId(), event: event, fields: fields, at: Date.now() };
      if (onDone) callbacks.set(entry.clientId, onDone);
      outbox.push(entry);
      persist();
      if (socket.connected) deliver(entry);
      changed("queued");
      return entry;
    }

    socket.on("connect", function () { state.online = true; changed("online"); join(); });
    socket.on("disconnect", function () {
      state.online = false; state.joined = false; inFlight.clear(); changed("offline");
    });
    socket.on("connect_error", function () { state.online = false; changed("offline"); });
    vocabulary().change_types.forEach(function (type) { socket.on(type, onEnvelope); });
    socket.on("presence.changed", function (p) { state.connected = p.connected; changed("presence"); });
    // the server's message queue came back after an outage: changes may have been missed
    socket.on("sync.suggested", function () { requestSync(); });
    // the link or login this page used was revoked: the server disconnects us next and a
    // new join would be refused, so say why and stay disconnected
    socket.on("access.revoked", function (info) {
      state.error = (info && info.error) || "Access ended.";
      state.revoked = true;
      // what this page showed is no longer theirs to see
      state.ideas = new Map(); state.themes = new Map();
      state.conclusions = new Map(); state.actions = new Map();
      socket.io.reconnection(false);
      changed("error");
    });

    /* A read-only question (no outbox): the answer, or null when offline or too slow. */
    function ask(event, fields, onAnswer, timeoutMs) {
      if (!socket.connected || !state.joined) { onAnswer(null); return; }
      socket.timeout(timeoutMs || 2000).emit(event, Object.assign({ workshop_id: config.workshopId }, fields),
        function (err, ack) { onAnswer(err || !ack.ok ? null : ack); });
    }

    return {
      state: state,
      send: send,
      ask: ask,
      pending: function () { return outbox.slice(); },
      socket: socket
    };
  }

  /* What a conclusion or an action item is about: "theme:2" or "idea:7". */
  function targetKey(item) {
    return item.theme_id !== null && item.theme_id !== undefined ? "theme:" + item.theme_id : "idea:" + item.idea_id;
  }

  /* Helpers shared by the pages. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];       // ideas are text, never HTML
      else if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  var strings = {};

  var pageConfig = null;
  function readConfig() {
    if (!pageConfig) pageConfig = JSON.parse(document.getElementById("plenary-config").textContent);
    strings = pageConfig.strings || {};
    return pageConfig;
  }

  /* Phases, stakeholder kinds, horizons, text limits and change types: defined once on the
   * server (app/vocabulary.py) and sent in every page's config. */
  function vocabulary() { return readConfig().vocabulary; }

  /* The page's language: t("votes_left", {left: 2, budget: 5}). */
  function t(key, params) {
    var text = strings[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(params[name]));
    });
    return text;
  }

  function votes(n) { return t(n === 1 ? "vote_one" : "vote_many", { n: n }); }

  /* The ideas on the boards: a merged idea lives on under the one it was merged into;
     deleted ones are gone; hidden ones only the facilitator sees (withHidden). */
  function visible(ideas, withHidden) {
    return Array.from(ideas.values()).filter(function (idea) {
      return !idea.merged_into && !idea.deleted && idea.approved !== false &&
        (withHidden || !idea.hidden);
    });
  }

  /* Newest first, pinned ideas before the rest. */
  function newestPinnedFirst(a, b) { return (b.pinned ? 1 : 0) - (a.pinned ? 1 : 0) || b.id - a.id; }

  /* The board as groups: [{theme, ideas}] with the themes in their order and the ideas
     not placed yet last (theme null); ideas in their order within each group. */
  function grouped(state, withHidden) {
    var themes = Array.from(state.themes.values()).sort(function (a, b) {
      return a.position - b.position || a.id - b.id;
    });
    var byId = new Map(themes.map(function (theme) { return [theme.id, { theme: theme, ideas: [] }]; }));
    var unplaced = { theme: null, ideas: [] };
    visible(state.ideas, withHidden).forEach(function (idea) { (byId.get(idea.theme_id) || unplaced).ideas.push(idea); });
    var groups = Array.from(byId.values()).concat([unplaced]);
    groups.forEach(function (g) { g.ideas.sort(function (a, b) { return a.position - b.position || a.id - b.id; }); });
    return groups;
  }

  /* The countdown shown in an element, ticking in the server's time; hidden when off. */
  function mountClock(live, element) {
    function tick() {
      var clock = live.state.workshop && live.state.workshop.clock;
      var ms = !clock ? null : clock.running ? Math.max(0, clock.ends_at - (Date.now() + live.state.offset))
        : clock.remaining_ms;
      element.hidden = ms === null || ms === undefined;
      if (element.hidden) return;
      var seconds = Math.ceil(ms / 1000);
      element.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      element.classList.toggle("is-paused", !clock.running);
      element.classList.toggle("is-ending", clock.running && seconds <= 30);
    }
    tick();
    return setInterval(tick, 250);
  }

  /* Groups with the most voted theme first (voting on themes), not placed last. */
  function byVotes(groups) {
    return groups.slice().sort(function (a, b) {
      if (!a.theme || !b.theme) return (a.theme ? 0 : 1) - (b.theme ? 0 : 1);
      return (b.theme.votes || 0) - (a.theme.votes || 0) || a.theme.position - b.theme.position;
    });
  }

  /* Texts merged into an idea ("also said as …"). */
  function alsoSaid(state, ideaId) {
    return Array.from(state.ideas.values()).filter(function (i) {
      return i.merged_into === ideaId && !i.deleted;
    }).map(function (i) { return "“" + i.text + "”"; }).join(" · ");
  }

  function ranked(ideas) {
    return visible(ideas).sort(function (a, b) {
      return (b.votes - a.votes) || (a.id - b.id);
    });
  }

  /* The ranking rule (app/services/ranking.py): most votes first, ties share a rank
   * (1, 2, 2, 4) and keep board order: ideas by age (`ranked`), themes by position
   * (`byVotes`, Results.targets). */
  function rankOf(list) { // ties share a rank: 1, 2, 2, 4
    var ranks = [], rank = 0;
    list.forEach(function (idea, i) {
      if (i === 0 || idea.votes !== list[i - 1].votes) rank = i + 1;
      ranks.push(rank);
    });
    return ranks;
  }

  function scheduler(render) {
    var queued = false;
    return function () {
      if (queued) return;
      queued = true;
      requestAnimationFrame(function () { queued = false; render(); });
    };
  }

  /* Make `parent`'s children the `nodes` just built, keeping every existing child equal to
   * its new version (isEqualNode: same attributes and text; the same node, so a tap on it
   * in the middle of a redraw still lands, and the focus and a screen reader stay where
   * they were). Only what changed is touched. Safe only where a node's listeners depend on
   * nothing but what its markup shows. */
  function patchChildren(parent, nodes) {
    var spare = new Map();   // text -> the old children with that text
    Array.prototype.forEach.call(parent.children, function (old) {
      var text = old.textContent;
      if (!spare.has(text)) spare.set(text, []);
      spare.get(text).push(old);
    });
    var wanted = nodes.map(function (node) {
      var same = spare.get(node.textContent) || [];
      for (var i = 0; i < same.length; i++) {
        if (same[i].isEqualNode(node)) return same.splice(i, 1)[0];
      }
      return node;
    });
    var keep = new Set(wanted);
    Array.prototype.slice.call(parent.children).forEach(function (old) { if (!keep.has(old)) old.remove(); });
    wanted.forEach(function (node, i) {
      if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] || null);
    });
  }

  window.Plenary = {
    connect: connect, el: el, readConfig: readConfig, vocabulary: vocabulary, ranked: ranked, rankOf: rankOf,
    scheduler: scheduler, t: t, votes: votes, load: load, save: save, visible: visible, grouped: grouped,
    newestPinnedFirst: newestPinnedFirst, mountClock: mountClock, byVotes: byVotes, alsoSaid: alsoSaid,
    targetKey: targetKey, patchChildren: patchChildren
  };
})();
