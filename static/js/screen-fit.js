/* The projector's pages and text size (used by screen.js and screen-overview.js).
 *
 * A room reads the screen from 10-15 m, so no text is smaller than the floor
 * (max(20 px, 2.8 % of the height)) and no word is ever cut: what does not fit on one
 * screen at the floor goes on another page, never off the edge. For the page on show, the
 * text then grows to the largest size at which everything still fits.
 *
 * Content is a list of entries, each a node and, optionally, a group (a theme's box, a
 * result's card) it goes in. A group too tall for one box continues in the next box
 * ("… (continued)"), on the same page when there is room, so boxes fill the grid's cells.
 * A stage marked .masonry packs its boxes like bricks (a short card fills the hole beside a
 * tall one; screen.css gives it 4 px rows, pack() gives each box the rows it needs).
 * A box whose longest word does not fit its column spans two columns, three, ...; only a
 * word wider than the whole stage shrinks its own text, never below 3/4 of the floor.
 */
(function () {
  "use strict";
  var P = window.Plenary;
  var MAX_SCALE = 2.4;   // the largest text is at most this times the floor
  var ROW = 4;           // px: the rows of a .masonry stage (screen.css grid-auto-rows)
  var LOOKAHEAD = 8;     // a full .masonry page tries this many later cards in its holes

  function floor() { return Math.max(20, Math.ceil(window.innerHeight * 0.028)); }

  function overflows(stage) {
    return stage.scrollHeight > stage.clientHeight + 1 || stage.scrollWidth > stage.clientWidth + 1;
  }

  function fitNodes(root) {
    var marked = root.classList && root.classList.contains("fit") ? [root] : [];
    return marked.concat(Array.prototype.slice.call(root.querySelectorAll(".fit")));
  }

  function tooWide(node) { return node.clientWidth && node.scrollWidth > node.clientWidth + 1; }

  /* Every word of root's .fit elements fits its box (squeezed ones count as fitting). */
  function wordsFit(root) {
    return fitNodes(root).every(function (node) { return !tooWide(node); });
  }

  function unsqueeze(root) {
    fitNodes(root).forEach(function (node) {
      if (node.classList.contains("is-squeezed")) { node.style.fontSize = ""; node.classList.remove("is-squeezed"); }
    });
  }

  /* A .fit element whose longest word is wider than its box gets a smaller size of its own,
     never below 3/4 of the floor (the only text allowed below the floor). */
  function squeeze(root) {
    unsqueeze(root);
    shrink(root);
  }

  function shrink(root) {
    var least = Math.ceil(floor() * 0.75);
    fitNodes(root).forEach(function (node) {
      for (var i = 0; i < 4 && tooWide(node); i++) {
        var size = parseFloat(getComputedStyle(node).fontSize);
        var smaller = Math.max(least, Math.floor(size * node.clientWidth / node.scrollWidth * 0.98));
        if (smaller >= size) break;
        node.style.fontSize = smaller + "px";
        node.classList.add("is-squeezed");
      }
    });
  }

  function columnsOf(stage) {
    var tracks = getComputedStyle(stage).gridTemplateColumns;
    return tracks && tracks !== "none" ? tracks.split(" ").length : 1;
  }

  function spanOf(target, columns) {
    var value = target.style.gridColumn;
    if (value.indexOf("-1") >= 0) return columns;
    var match = /span (\d+)/.exec(value);
    return match ? Number(match[1]) : 1;
  }

  function setSpan(target, n, columns) {
    target.style.gridColumn = n <= 1 ? "" : n >= columns ? "1 / -1" : "span " + n;
    return target.style.gridColumn;
  }

  /* A box (a card, a theme's box) whose longest word does not fit spans more columns until
     it does; a word wider than the whole stage is then squeezed. Returns the span. */
  function fitWords(target, stage) {
    var columns = columnsOf(stage), n = spanOf(target, columns);
    unsqueeze(target);
    while (!wordsFit(target) && n < columns) setSpan(target, ++n, columns);
    squeeze(target);
    return target.style.gridColumn;
  }

  /* A .masonry stage: each box takes the 4 px rows its height (and the gap) needs, so the
     grid places the next box in the first hole big enough, in order. */
  function pack(stage) {
    if (!stage.classList.contains("masonry")) return;
    var gap = parseFloat(getComputedStyle(stage).columnGap) || 0;
    var boxes = Array.prototype.slice.call(stage.children);
    var heights = boxes.map(function (box) { return box.offsetHeight; });
    boxes.forEach(function (box, i) {
      box.style.gridRowEnd = "span " + Math.max(1, Math.ceil((heights[i] + gap) / ROW));
    });
  }

  function setSize(stage, px) {
    stage.style.setProperty("--fs", px + "px");
    squeeze(stage);
    pack(stage);
  }

  /* Lay entries out page by page at the floor: [[entry, ...], ...], at least one page.
     makeBox(group, continued) -> {root, body}: the box a group's entries go in. */
  function paginate(stage, entries, makeBox) {
    var pages = [], page = [];
    var box = null, group = null, before = "";
    setSize(stage, floor());
    stage.textContent = "";
    function target(entry) { return entry.group !== undefined ? box.root : entry.node; }
    function settle(entry) {
      var node = target(entry);
      before = node.style.gridColumn;
      entry.span = fitWords(node, stage);
      pack(stage);
      // a card taller than the stage gets the columns it needs (the wall: no groups)
      if (entry.group === undefined && node.offsetHeight > stage.clientHeight) widen(entry, node, true);
    }
    function place(entry, continued) {
      var fresh = false;
      if (entry.group !== undefined && (box === null || entry.group !== group)) {
        box = makeBox(entry.group, continued);
        group = entry.group;
        stage.appendChild(box.root);
        fresh = true;
      }
      if (entry.group === undefined) entry.node.style.gridColumn = "";
      (entry.group !== undefined ? box.body : stage).appendChild(entry.node);
      settle(entry);
      return fresh;
    }
    function undo(entry, fresh) {
      entry.node.remove();
      if (fresh) { box.root.remove(); box = null; group = null; } else if (box) box.root.style.gridColumn = before;
      pack(stage);
    }
    // a page of cards (no groups) in a .masonry stage that is full for the next card lets
    // one of the next few fill a hole: they are numbered, so the order still reads
    function fillHoles(queue) {
      for (var k = 0, tried = 0; k < queue.length && tried < LOOKAHEAD; tried++) {
        var next = queue[k];
        if (next.group !== undefined) return;
        place(next, false);
        if (!overflows(stage)) { page.push(next); queue.splice(k, 1); } else { undo(next, false); k++; }
      }
    }
    var queue = entries.slice(), masonry = stage.classList.contains("masonry");
    while (queue.length) {
      var entry = queue.shift();
      var grouped = entry.group !== undefined;
      var carried = grouped && page.length && page[page.length - 1].group === entry.group;
      var fresh = place(entry, false);
      if (!overflows(stage)) { page.push(entry); continue; }
      if (!page.length) { widen(entry, target(entry)); page.push(entry); continue; }
      undo(entry, fresh);
      if (!grouped && masonry) fillHoles(queue);
      if (grouped && !fresh && box && box.body.children.length) {
        // the box is full: the same group goes on in a new box, on this page if it fits
        box = makeBox(entry.group, true);
        stage.appendChild(box.root);
        box.body.appendChild(entry.node);
        settle(entry);
        if (!overflows(stage)) { entry.continuedBox = true; page.push(entry); continue; }
        undo(entry, true);
      }
      pages.push(page);
      page = [];
      stage.textContent = "";
      box = null; group = null;
      place(entry, carried || grouped && !fresh);
      entry.continuedBox = false;
      entry.pageContinues = carried || grouped && !fresh;
      if (overflows(stage)) widen(entry, target(entry));
      page.push(entry);
    }
    if (page.length || !pages.length) pages.push(page);
    return pages;
  }

  /* An entry alone on its page that does not fit (or, `tall`, a card taller than the
     stage) takes two columns, three, ... the whole row: the width it needs to fit the
     height (`entry.span`, kept for show()). */
  function widen(entry, target, tall) {
    var stage = target.parentNode;
    while (stage && !stage.classList.contains("paged")) stage = stage.parentNode;
    var columns = columnsOf(stage);
    for (var n = spanOf(target, columns) + 1; n <= columns; n++) {
      entry.span = setSpan(target, n, columns);
      squeeze(target);
      pack(stage);
      if ((tall || !overflows(stage)) && target.offsetHeight <= stage.clientHeight) return;
    }
  }

  /* Show one page (from paginate) and grow its text to the largest size that fits: every
     box in the stage and every word in its box (only what was squeezed at the floor, a word
     wider than the stage, may stay squeezed). */
  function show(stage, page, makeBox, maxScale) {
    var low = floor(), high = Math.round(low * (maxScale || MAX_SCALE));
    stage.textContent = "";
    var box = null, group = null, seen = new Set();
    page.forEach(function (entry, index) {
      if (entry.group !== undefined) {
        var first = index === 0 && entry.pageContinues;
        if (box === null || entry.group !== group || entry.continuedBox) {
          box = makeBox(entry.group, first || entry.continuedBox || seen.has(entry.group));
          group = entry.group;
          seen.add(entry.group);
          stage.appendChild(box.root);
        }
        if (entry.span) box.root.style.gridColumn = entry.span;
        box.body.appendChild(entry.node);
      } else {
        entry.node.style.gridColumn = entry.span || "";
        stage.appendChild(entry.node);
      }
    });
    setSize(stage, low);
    var allowed = new Set(stage.querySelectorAll(".is-squeezed"));
    var fits = function () {
      return !overflows(stage) && fitNodes(stage).every(function (node) {
        return allowed.has(node) || !node.classList.contains("is-squeezed") && !tooWide(node);
      });
    };
    setSize(stage, high);
    if (fits()) return high;
    while (high - low > 1) {   // the largest size that fits: it fits at the floor
      var mid = Math.floor((low + high) / 2);
      setSize(stage, mid);
      if (fits()) low = mid; else high = mid;
    }
    setSize(stage, low);
    return low;
  }

  /* One text, as large as fits its box (the spotlight, the title). */
  function grow(node, box, low, high) {
    node.classList.remove("is-squeezed");
    node.style.fontSize = high + "px";
    var fits = function () { return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1; };
    if (fits()) return high;
    while (high - low > 1) {
      var mid = Math.floor((low + high) / 2);
      node.style.fontSize = mid + "px";
      if (fits()) low = mid; else high = mid;
    }
    node.style.fontSize = low + "px";
    shrink(node);
    return low;
  }

  P.Fit = { floor: floor, paginate: paginate, show: show, grow: grow, squeeze: squeeze,
    overflows: overflows, pack: pack, setSize: setSize, fitWords: fitWords, wordsFit: wordsFit,
    columnsOf: columnsOf, spanOf: spanOf, setSpan: setSpan };
})();
