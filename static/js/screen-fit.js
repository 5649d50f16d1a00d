/* The projector's pages and text size (used by screen.js).
 *
 * A room reads the screen from 10-15 m, so no text is smaller than the floor
 * (max(20 px, 2.8 % of the height)) and no word is ever cut: what does not fit on one
 * screen at the floor goes on another page, never off the edge. For the page on show, the
 * text then grows to the largest size at which everything still fits.
 *
 * Content is a list of entries, each a node and, optionally, a group (a theme's box, a
 * result's card) it goes in. A group too tall for one box continues in the next box
 * ("… (continued)"), on the same page when there is room, so boxes fill the grid's cells.
 * A word wider than its box (a 40-letter compound) shrinks only its own element's text.
 */
(function () {
  "use strict";
  var P = window.Plenary;
  var MAX_SCALE = 2.4;   // the largest text is at most this times the floor

  function floor() { return Math.max(20, Math.ceil(window.innerHeight * 0.028)); }

  function overflows(stage) {
    return stage.scrollHeight > stage.clientHeight + 1 || stage.scrollWidth > stage.clientWidth + 1;
  }

  /* Elements marked .fit keep every word whole: one whose longest word is wider than its box
     gets a smaller size of its own (the only text allowed below the floor). */
  function squeeze(root) {
    var marked = root.classList && root.classList.contains("fit") ? [root] : [];
    marked = marked.concat(Array.prototype.slice.call(root.querySelectorAll(".fit")));
    marked.forEach(function (node) {
      if (node.classList.contains("is-squeezed")) { node.style.fontSize = ""; node.classList.remove("is-squeezed"); }
      for (var i = 0; i < 4 && node.clientWidth && node.scrollWidth > node.clientWidth + 1; i++) {
        var size = parseFloat(getComputedStyle(node).fontSize);
        node.style.fontSize = Math.floor(size * node.clientWidth / node.scrollWidth * 0.98) + "px";
        node.classList.add("is-squeezed");
      }
    });
  }

  function setSize(stage, px) {
    stage.style.setProperty("--fs", px + "px");
    squeeze(stage);
  }

  /* Lay entries out page by page at the floor: [[entry, ...], ...], at least one page.
     makeBox(group, continued) -> {root, body}: the box a group's entries go in. */
  function paginate(stage, entries, makeBox) {
    var pages = [], page = [];
    var box = null, group = null;
    setSize(stage, floor());
    stage.textContent = "";
    function place(entry, continued) {
      var fresh = false;
      if (entry.group !== undefined && (box === null || entry.group !== group)) {
        box = makeBox(entry.group, continued);
        group = entry.group;
        stage.appendChild(box.root);
        fresh = true;
      }
      (entry.group !== undefined ? box.body : stage).appendChild(entry.node);
      squeeze(entry.node);
      return fresh;
    }
    function undo(entry, fresh) {
      entry.node.remove();
      if (fresh) { box.root.remove(); box = null; group = null; }
    }
    entries.forEach(function (entry) {
      var grouped = entry.group !== undefined;
      var carried = grouped && page.length && page[page.length - 1].group === entry.group;
      if (!grouped) entry.node.style.gridColumn = "";
      var fresh = place(entry, false);
      if (!overflows(stage)) { page.push(entry); return; }
      if (!page.length) { widen(entry, grouped ? box.root : entry.node); page.push(entry); return; }
      undo(entry, fresh);
      if (grouped && !fresh && box && box.body.children.length) {
        // the box is full: the same group goes on in a new box, on this page if it fits
        box = makeBox(entry.group, true);
        stage.appendChild(box.root);
        box.body.appendChild(entry.node);
        squeeze(entry.node);
        if (!overflows(stage)) { entry.continuedBox = true; page.push(entry); return; }
        undo(entry, true);
      }
      pages.push(page);
      page = [];
      stage.textContent = "";
      box = null; group = null;
      place(entry, carried || grouped && !fresh);
      entry.continuedBox = false;
      entry.pageContinues = carried || grouped && !fresh;
      if (overflows(stage)) widen(entry, grouped ? box.root : entry.node);
      page.push(entry);
    });
    if (page.length || !pages.length) pages.push(page);
    return pages;
  }

  /* An entry too tall for one box, alone on its page, takes two columns, three, ... the
     whole row: the width it needs to fit the height (`entry.span`, kept for show()). */
  function widen(entry, target) {
    var stage = target.parentNode;
    while (stage && !stage.classList.contains("paged")) stage = stage.parentNode;
    var columns = getComputedStyle(stage).gridTemplateColumns.split(" ").length;
    for (var n = 2; n <= columns; n++) {
      entry.span = n === columns ? "1 / -1" : "span " + n;
      target.style.gridColumn = entry.span;
      squeeze(target);
      if (!overflows(stage)) return;
    }
  }

  /* Show one page (from paginate) and grow its text to the largest size that fits. */
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
    setSize(stage, high);
    if (!overflows(stage)) return high;
    while (high - low > 1) {   // the largest size that fits: it fits at the floor
      var mid = Math.floor((low + high) / 2);
      setSize(stage, mid);
      if (overflows(stage)) high = mid; else low = mid;
    }
    setSize(stage, low);
    return low;
  }

  /* One text, as large as fits its box (the spotlight, the title). */
  function grow(node, box, low, high) {
    node.style.fontSize = high + "px";
    var fits = function () { return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1; };
    if (fits()) return high;
    while (high - low > 1) {
      var mid = Math.floor((low + high) / 2);
      node.style.fontSize = mid + "px";
      if (fits()) low = mid; else high = mid;
    }
    node.style.fontSize = low + "px";
    squeeze(node);
    return low;
  }

  P.Fit = { floor: floor, paginate: paginate, show: show, grow: grow, squeeze: squeeze, overflows: overflows };
})();
