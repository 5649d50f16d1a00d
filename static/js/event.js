/* Organiser's event page: "Copy" beside each link (join, facilitator, projector) puts the
 * link on the clipboard and says "Copied"; where the clipboard is refused (plain http,
 * an old browser) the link is selected for Ctrl+C instead. No inline script: CSP. */
(function () {
  "use strict";
  function say(button, text) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) status.textContent = text;
  }
  function selectOnly(field, button) {
    field.focus();
    field.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    say(button, copied ? button.getAttribute("data-copied") : button.getAttribute("data-select"));
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    say(button, "");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        say(button, button.getAttribute("data-copied"));
      }, function () { selectOnly(field, button); });
    } else {
      selectOnly(field, button);
    }
  });
})();
