/* Grouping, page 1 of the projector (used by screen.js): every theme at a glance, so the
 * room keeps the overview while the facilitator groups. One box per theme with its name,
 * how many ideas it has, as many of them as fit at the floor and "+ N more".
 *
 * The boxes are filled in turns (one more idea per theme per turn) so every theme shows
 * some; when no box takes another idea, a box with more to show may take a spare column
 * (a room with three themes then usually sees everything on one page). An idea whose
 * longest word does not fit its box's width waits for a wider box: nothing is squeezed here.
 *
 * Usage: P.Overview.build(stage, groups, makeBox, makeCard) with groups [{info, ideas}],
 * makeBox(info) -> {root, body, count(n), more(n)}, makeCard(idea) -> node. Returns
 * {page, complete}: page a page for Fit.show (flagged .overview), complete when it shows
 * every idea; or null when not even the theme names fit on one screen.
 */
(function () {
  "use strict";
  var P = window.Plenary, Fit = P.Fit;

  function build(stage, groups, makeBox, makeCard) {
    Fit.setSize(stage, Fit.floor());
    stage.textContent = "";
    var boxes = groups.map(function (group) {
      var box = makeBox(group.info);
      box.ideas = group.ideas;
      box.shown = 0;
      box.count(group.ideas.length);
      box.more(0);
      stage.appendChild(box.root);
      Fit.fitWords(box.root, stage);  // a theme name with a very long word
      return box;
    });
    Fit.pack(stage);
    if (Fit.overflows(stage)) return null;

    function left(box) { return box.ideas.length - box.shown; }

    // one more idea in the box; false (and nothing changed) when it does not fit
    function add(box) {
      var node = makeCard(box.ideas[box.shown]);
      box.body.appendChild(node);
      box.shown++;
      box.more(left(box));
      Fit.pack(stage);
      if (Fit.wordsFit(box.root) && !Fit.overflows(stage)) return true;
      node.remove();
      box.shown--;
      box.more(box.shown ? left(box) : 0);
      Fit.pack(stage);
      return false;
    }

    function wider(box) {
      var columns = Fit.columnsOf(stage), n = Fit.spanOf(box.root, columns), before = box.root.style.gridColumn;
      if (n >= columns) return false;
      Fit.setSpan(box.root, n + 1, columns);
      Fit.pack(stage);
      if (!Fit.overflows(stage) && add(box)) return true;
      box.root.style.gridColumn = before;
      Fit.pack(stage);
      return false;
    }

    var open = boxes.filter(left);
    while (open.length) {
      var turn = open;
      while (turn.length) turn = turn.filter(function (box) { return add(box) && left(box) > 0; });
      open = boxes.filter(left);
      if (!open.some(wider)) break;  // a wider box took one more: take turns again
      open = boxes.filter(left);
    }
    var page = boxes.map(function (box) { return { node: box.root, span: box.root.style.gridColumn }; });
    page.overview = true;
    return { page: page, complete: !boxes.some(left) };
  }

  P.Overview = { build: build };
})();
