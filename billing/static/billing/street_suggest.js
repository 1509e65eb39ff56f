// Progressive enhancement of « Trouver mon école de secteur »: street suggestions in a native <datalist>.
// Without JavaScript the GET form works the same; this only saves typing.
(function () {
  "use strict";
  document.querySelectorAll("form[data-streets-url] input[data-street-suggest]").forEach(function (input) {
    var url = input.form.getAttribute("data-streets-url");
    var list = document.createElement("datalist");
    list.id = input.id + "_suggestions";
    input.setAttribute("list", list.id);
    input.insertAdjacentElement("afterend", list);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      // Suggest on the street part: "12 rue Jean" → "rue Jean", and keep the number the parent typed.
      var match = input.value.match(/^\s*(\d+\s*(?:bis|ter)?\s*,?\s*)?(.*)$/i);
      var number = match[1] || "";
      var street = match[2].trim();
      if (street.length < 2 || street === last) { return; }
      last = street;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(street), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = number + item.street;
              option.label = item.commune ? item.street + " (" + item.commune + ")" : item.street;
              list.appendChild(option);
            });
          })
          .catch(function () { list.replaceChildren(); });
      }, 200);
    });
  });
})();
