/* The printable agenda page: its Print button (no inline handlers under the CSP). */
(function () {
  "use strict";
  var button = document.getElementById("print-agenda");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
