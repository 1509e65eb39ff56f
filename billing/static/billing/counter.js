// The counter form: spreads the amount over the open invoices oldest first (until the régisseur edits a line) and
// says how much will stay as a credit. The server checks everything again.
(function () {
  "use strict";
  var form = document.getElementById("counter-form");
  if (!form) return;
  var amount = form.querySelector("[name=amount]");
  var note = document.getElementById("credit-left");
  var rows = Array.prototype.slice.call(form.querySelectorAll("#allocations tbody tr"));
  var edited = false;
  function cents(text) {
    var value = parseFloat(String(text || "").replace(/\s|€/g, "").replace(",", "."));
    return isNaN(value) ? null : Math.round(value * 100);
  }
  function show(c) { return (c / 100).toFixed(2).replace(".", ","); }
  function refresh() {
    var total = cents(amount.value);
    var spread = 0;
    rows.forEach(function (row) { spread += cents(row.querySelector("input").value) || 0; });
    if (total !== null && total > spread) {
      note.textContent = note.dataset.template.replace("__X__", show(total - spread));
    } else {
      note.textContent = "";
    }
  }
  function spreadOldestFirst() {
    var left = cents(amount.value);
    if (left === null) return;
    rows.forEach(function (row) {
      var due = cents(row.dataset.due) || 0;
      var part = Math.max(0, Math.min(due, left));
      row.querySelector("input").value = part > 0 ? show(part) : "";
      left -= part;
    });
  }
  amount.addEventListener("input", function () { if (!edited) spreadOldestFirst(); refresh(); });
  rows.forEach(function (row) {
    row.querySelector("input").addEventListener("input", function () { edited = true; refresh(); });
  });
  refresh();
})();
