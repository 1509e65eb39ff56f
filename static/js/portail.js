/* Behaviour of the public site and the portal, kept out of the HTML so the Content-Security-Policy can refuse
   every inline script. Each feature is opt-in through a data attribute. */
(function () {
  "use strict";

  /* On phones the main navigation folds behind a « Menu » button; without JavaScript it stays open. */
  var header = document.querySelector(".site-header"), toggle = header && header.querySelector(".nav-toggle");
  if (toggle) {
    header.classList.add("nav-folds");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      header.classList.toggle("nav-open", !open);
    });
  }

  /* <button data-confirm="Supprimer ce contact ?">: the form is sent only once the question is answered yes. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  /* <button data-print>: prints the page (printable menus). */
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
