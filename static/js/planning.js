/* Gérer mes réservations: a ticked or unticked day turns green at once (the form works without this script). */
(function () {
  var form = document.querySelector(".planning-form");
  if (!form) return;
  form.querySelectorAll(".unit input").forEach(function (input) {
    input.dataset.initial = input.checked ? "1" : "0";
  });
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches(".unit input")) return;
    var inputs = input.type === "radio" ? form.querySelectorAll('input[name="' + input.name + '"]') : [input];
    inputs.forEach(function (each) {
      var changed = (each.checked ? "1" : "0") !== each.dataset.initial;
      each.closest(".unit").classList.toggle("is-changed", changed && each.checked || changed && each.type === "checkbox");
    });
  });
})();
