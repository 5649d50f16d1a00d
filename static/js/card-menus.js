/* A board card's menus ("Move to…" and "Moderate…"), one popover at a time, shown on top of
 * everything (the top layer) next to the button that opened it and inside the viewport, so
 * no theme box ever covers it. Mouse, touch and keyboard:
 *   listbox: arrow keys, Home and End move the highlight, only Enter or a click chooses;
 *   menu: arrow keys move between the actions, Enter, Space or a click runs one;
 *   Escape (or a click elsewhere) closes it and focus goes back to the button.
 * Usage: Plenary.CardMenu.open(button, {kind: "listbox"|"menu", label, key,
 *          items: [{value, text}], choose: function (value) {...}})
 *        key: the button's data-focus-key, to find it again after the board redrew.
 */
(function () {
  "use strict";
  var P = window.Plenary, el = P.el;
  var pop = null, current = null, serial = 0;

  function anchorOf(spec) {
    return document.querySelector('[data-focus-key="' + spec.key + '"]');
  }

  function ensure(container) {
    if (pop) return pop;
    pop = el("div", { class: "card-popover", id: "card-popover" });
    if (pop.showPopover) pop.setAttribute("popover", "auto");
    else pop.hidden = true;
    container.appendChild(pop);
    pop.addEventListener("toggle", function (event) {
      if (event.newState === "closed") finish(true);
    });
    window.addEventListener("scroll", function () { if (current) place(); }, true);
    window.addEventListener("resize", function () { if (current) place(); });
    document.addEventListener("pointerdown", function (event) {  // browsers without popovers
      if (current && !pop.showPopover && !pop.contains(event.target)) close(false);
    });
    return pop;
  }

  /* Below the button, or above it when there is no room; always inside the viewport. */
  function place() {
    var anchor = anchorOf(current.spec);
    if (!anchor) return;
    var r = anchor.getBoundingClientRect(), vw = window.innerWidth, vh = window.innerHeight, gap = 4;
    pop.style.maxHeight = Math.max(120, vh - 16) + "px";
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var top = r.bottom + gap;
    if (top + h > vh - 8) top = r.top - gap - h >= 8 ? r.top - gap - h : Math.max(8, vh - 8 - h);
    var rtl = getComputedStyle(anchor).direction === "rtl";
    var left = rtl ? r.right - w : r.left;
    pop.style.left = Math.round(Math.min(Math.max(8, left), vw - w - 8)) + "px";
    pop.style.top = Math.round(top) + "px";
  }

  function open(anchor, spec) {
    if (current && current.spec.key === spec.key) { close(true); return; }
    if (current) close(false);
    ensure(anchor.closest("main") || document.body);
    pop.textContent = "";
    var list, items = [];
    serial += 1;
    if (spec.kind === "listbox") {
      list = el("ul", { class: "popover-list", role: "listbox", tabindex: "0", "aria-label": spec.label });
      spec.items.forEach(function (item, i) {
        var option = el("li", { class: "popover-item", role: "option", id: "card-option-" + serial + "-" + i,
                                "aria-selected": "false" }, [el("bdi", { text: item.text })]);
        option.addEventListener("click", function () { choose(item.value); });
        list.appendChild(option);
        items.push(option);
      });
    } else {
      list = el("div", { class: "popover-list", role: "menu", "aria-label": spec.label });
      spec.items.forEach(function (item) {
        var button = el("button", { class: "popover-item", type: "button", role: "menuitem", tabindex: "-1",
                                    "data-value": item.value, text: item.text });
        button.addEventListener("click", function () { choose(item.value); });
        list.appendChild(button);
        items.push(button);
      });
    }
    pop.appendChild(list);
    current = { spec: spec, list: list, items: items, active: -1 };
    list.addEventListener("keydown", keydown);
    anchor.setAttribute("aria-expanded", "true");
    if (pop.showPopover) pop.showPopover(); else pop.hidden = false;
    place();
    if (spec.kind === "listbox") list.focus(); else highlight(0);
  }

  function highlight(index) {
    var c = current;
    if (!c.items.length) return;
    c.active = Math.max(0, Math.min(index, c.items.length - 1));
    c.items.forEach(function (item, i) {
      item.classList.toggle("is-active", i === c.active);
      if (c.spec.kind === "listbox") item.setAttribute("aria-selected", String(i === c.active));
    });
    var item = c.items[c.active];
    if (c.spec.kind === "listbox") {
      c.list.setAttribute("aria-activedescendant", item.id);
      item.scrollIntoView({ block: "nearest" });
    } else {
      item.focus();
    }
  }

  function keydown(event) {
    var c = current, last = c.items.length - 1;
    var moves = { ArrowDown: c.active + 1, ArrowUp: c.active < 0 ? last : c.active - 1, Home: 0, End: last };
    if (event.key in moves) {
      event.preventDefault();
      highlight(moves[event.key]);
    } else if (event.key === "Enter" && c.spec.kind === "listbox") {
      event.preventDefault();
      if (c.active >= 0) choose(c.spec.items[c.active].value);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === "Tab") {
      close(true);
    }
  }

  function choose(value) {
    var spec = current.spec;
    close(true);
    spec.choose(value);
  }

  /* refocus: put the focus back on the button (after a choice or Escape), not when another
     menu opens. Done at once; the popover's own "toggle" event (a click elsewhere) then
     finds nothing open. */
  function close(refocus) {
    if (!current) return;
    finish(refocus);
    if (pop.showPopover) { if (pop.matches(":popover-open")) pop.hidePopover(); }
    else pop.hidden = true;
  }

  function finish(refocus) {
    if (!current) return;
    var spec = current.spec, inside = pop.contains(document.activeElement);
    current = null;
    var anchor = anchorOf(spec);
    if (anchor) anchor.setAttribute("aria-expanded", "false");
    if (anchor && refocus && (inside || document.activeElement === document.body)) anchor.focus();
  }

  function isOpen(key) { return !!current && current.spec.key === key; }

  P.CardMenu = { open: open, close: close, isOpen: isOpen };
})();
