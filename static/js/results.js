/* What a workshop concluded, shared by the console, the projector and the phones:
 * - targets(state): the themes ranked by votes (or, without themes, the top ideas), each
 *   with its conclusion and action items;
 * - supportSentence(segments): "Supported by 14 companies, 6 cluster organisations and
 *   3 public authorities from 7 regions", in the page's language;
 * - watchSupport(live, onUpdate): keeps the `results.support` breakdown fresh (asked when
 *   entering voting or results and, at most every few seconds, after votes are tallied).
 */
(function () {
  "use strict";
  var P = window.Plenary, t = P.t;
  var KINDS = P.vocabulary().kinds;
  var HORIZONS = P.vocabulary().horizons;
  var SUPPORT_EVERY_MS = 3000;

  function count(key, n) { return t(key + (n === 1 ? ".one" : ".many"), { n: n }); }

  /* "a", "a and b", "a, b and c" */
  function listed(parts) {
    if (parts.length <= 1) return parts.join("");
    return t("list_and", { list: parts.slice(0, -1).join(", "), last: parts[parts.length - 1] });
  }

  function supportSentence(segments) {
    if (!segments || !segments.backers) return t("support.none");
    var kinds = segments.kinds || {}, parts = [], known = 0;
    KINDS.forEach(function (kind) {
      if (kinds[kind]) { parts.push(count("kind." + kind, kinds[kind])); known += kinds[kind]; }
    });
    if (!parts.length) parts.push(count("support.people", segments.backers));
    else if (known < segments.backers) parts.push(count("support.others", segments.backers - known));
    var regions = Object.keys(segments.regions || {}).length;
    return regions ? t("support.by_from", { who: listed(parts), regions: count("support.regions", regions) })
      : t("support.by", { who: listed(parts) });
  }

  function outcomeOf(state, kind, id) {
    var key = kind + ":" + id;
    var conclusion = state.conclusions.get(key);
    var actions = Array.from(state.actions.values()).filter(function (a) {
      return P.targetKey(a) === key;
    }).sort(function (a, b) { return a.id - b.id; });
    return { key: key, conclusion: conclusion ? conclusion.text : "", actions: actions };
  }

  /* [{key, kind: "theme"|"idea", id, name, colour, votes, conclusion, actions}], most votes
     first. A theme's votes are its own (voting on themes) or its ideas' (voting on ideas).
     Without themes: the top `topIdeas` ideas. Ideas that already have an outcome always
     come along, after the rest. */
  function targets(state, topIdeas) {
    var list = [];
    var ideas = P.visible(state.ideas);
    var onThemes = state.workshop && state.workshop.vote_on === "themes";
    if (state.themes.size) {
      var sums = new Map();
      ideas.forEach(function (i) { if (i.theme_id) sums.set(i.theme_id, (sums.get(i.theme_id) || 0) + i.votes); });
      state.themes.forEach(function (theme) {
        list.push(Object.assign({ kind: "theme", id: theme.id, name: theme.name, colour: theme.colour,
          position: theme.position, votes: onThemes ? theme.votes || 0 : sums.get(theme.id) || 0 },
          outcomeOf(state, "theme", theme.id)));
      });
      list.sort(function (a, b) { return b.votes - a.votes || a.position - b.position || a.id - b.id; });
    }
    var taken = new Set();
    var ranked = P.ranked(state.ideas);
    if (!state.themes.size) {
      ranked.slice(0, topIdeas || 10).forEach(function (idea) {
        taken.add(idea.id);
        list.push(Object.assign({ kind: "idea", id: idea.id, name: idea.text, votes: idea.votes },
          outcomeOf(state, "idea", idea.id)));
      });
    }
    ranked.forEach(function (idea) {
      if (taken.has(idea.id)) return;
      var outcome = outcomeOf(state, "idea", idea.id);
      if (outcome.conclusion || outcome.actions.length) {
        list.push(Object.assign({ kind: "idea", id: idea.id, name: idea.text, votes: idea.votes }, outcome));
      }
    });
    return list;
  }

  /* Action items in horizon order: [{horizon, label, actions}] for the horizons in use. */
  function byHorizon(actions) {
    return HORIZONS.map(function (h) {
      return { horizon: h, label: t("horizon." + h), actions: actions.filter(function (a) { return a.horizon === h; }) };
    }).filter(function (g) { return g.actions.length; });
  }

  function watchSupport(live, onUpdate) {
    var asked = 0, timer = null, busy = false;
    var WATCHED = ["joined", "sync", "phase.changed", "votes.tallied", "ideas.placed", "idea.merged",
      "idea.unmerged", "theme.created", "theme.deleted", "settings.changed"];
    function ask() {
      timer = null;
      if (busy) { timer = setTimeout(ask, SUPPORT_EVERY_MS); return; }
      busy = true;
      asked = Date.now();
      live.ask("results.support", {}, function (answer) {
        busy = false;
        if (answer) { live.state.support = answer; onUpdate(); }
      }, 5000);
    }
    return function changed(reason) {
      var w = live.state.workshop;
      if (!w || ["voting", "results", "closed"].indexOf(w.phase) < 0) return;
      if (WATCHED.indexOf(reason) < 0 && live.state.support) return;
      if (timer) return;
      var wait = reason === "phase.changed" || !live.state.support ? 0 : asked + SUPPORT_EVERY_MS - Date.now();
      timer = setTimeout(ask, Math.max(0, wait));
    };
  }

  function supportOf(state, target) {
    var support = state.support;
    if (!support) return null;
    return (target.kind === "theme" ? support.themes : support.ideas)[String(target.id)] || { backers: 0 };
  }

  P.Results = { targets: targets, supportSentence: supportSentence, supportOf: supportOf,
    byHorizon: byHorizon, watchSupport: watchSupport, HORIZONS: HORIZONS };
})();
