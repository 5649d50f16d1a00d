/* The printable roadmap page (templates/roadmap.html): its "Print or save as PDF" button.
   A file of its own: the Content-Security-Policy refuses inline handlers (onclick=…). */
(function () {
  "use strict";
  var button = document.querySelector(".toolbar .print");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
