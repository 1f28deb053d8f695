// armatlas dashboard: draw the Vega-Lite charts embedded in the page and suggest country names.
// Everything is loaded from /static (vendored Vega, Vega-Lite, vega-embed): the page works offline.
"use strict";

function drawCharts() {
  document.querySelectorAll(".vl-chart").forEach(function (el) {
    var source = document.getElementById(el.dataset.spec);
    if (!source || typeof vegaEmbed === "undefined") return;
    var spec = JSON.parse(source.textContent);
    vegaEmbed(el, spec, { actions: false, renderer: "svg" })
      .then(function () { el.dataset.rendered = "true"; })
      .catch(function (err) {
        el.dataset.rendered = "error";
        el.textContent = "Chart could not be drawn: " + err.message;
      });
  });
}

function suggestCountries() {
  var input = document.getElementById("country-search");
  var list = document.getElementById("country-options");
  if (!input || !list) return;
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      fetch("/api/v1/entities?limit=10&q=" + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : { rows: [] }; })
        .then(function (body) {
          list.replaceChildren();
          body.rows.forEach(function (row) {
            var opt = document.createElement("option");
            opt.value = row.name;
            list.appendChild(opt);
          });
          list.dataset.count = String(body.rows.length);
        })
        .catch(function () { /* suggestions are a convenience; the form still works */ });
    }, 150);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  drawCharts();
  suggestCountries();
});
