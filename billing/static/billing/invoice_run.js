// Progress of an invoice run: polls the small JSON endpoint, reloads the page when the run is done.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var count = document.getElementById("run-count");
  var status = document.getElementById("run-status");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        count.textContent = data.done + " / " + data.total;
        status.textContent = data.status_label;
        if (data.running) { window.setTimeout(poll, 1500); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
