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

/* Estimation du mois: asked again (debounced) while the parent ticks, with the ticks not yet saved. */
(function () {
  var form = document.querySelector(".planning-form");
  var box = document.getElementById("planning-estimate");
  if (!form || !box || !box.dataset.url || !window.fetch) return;
  var text = box.querySelector(".planning-estimate-text");
  var month = box.dataset.month;
  var timer = null;
  function changes() {
    var params = new URLSearchParams({ enfant: box.dataset.child, mois: month });
    form.querySelectorAll("input[data-unit]").forEach(function (input) {
      if (input.dataset.day.slice(0, 7) !== month) return;
      var saved = input.dataset.saved === "1";
      var value = input.dataset.unit + ":" + input.dataset.day;
      if (input.checked && !saved) params.append("ajout", value);
      if (!input.checked && saved) params.append("annulation", value);
    });
    return params;
  }
  function refresh() {
    fetch(box.dataset.url + "?" + changes().toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.text) text.textContent = data.text; })
      .catch(function () {});
  }
  form.addEventListener("change", function (event) {
    if (!event.target.matches("input[data-unit], .unit-none input")) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
