// armatlas dashboard: draw the Vega-Lite charts embedded in the page and suggest country names.
// Everything is loaded from /static (vendored Vega, Vega-Lite, vega-embed): the page works offline.
"use strict";

function saveFile(name, href) {
  var a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function csvCell(value) {
  // Quote every text cell; a leading = + - @ is neutralised so spreadsheets never run it as a formula.
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  var text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return '"' + text.replace(/"/g, '""') + '"';
}

function chartCsv(spec) {
  // The chart's own rows and columns, plus the source line the chart cites (one tidy table).
  var meta = (spec.usermeta && spec.usermeta.armatlas) || {};
  var rows = (spec.data && spec.data.values) || [];
  var cols = meta.columns || Object.keys(rows[0] || {});
  var lines = [cols.concat(["source"]).join(",")];
  rows.forEach(function (r) {
    lines.push(cols.map(function (c) { return csvCell(r[c]); }).concat([csvCell(meta.citation || "")]).join(","));
  });
  return lines.join("\r\n") + "\r\n";
}

function addDownloads(el, spec, view) {
  var bar = el.parentNode.querySelector(".chart-downloads");
  if (!bar) return;
  var name = ((spec.usermeta && spec.usermeta.armatlas && spec.usermeta.armatlas.name) || "chart")
    .replace(/[^A-Za-z0-9_.-]+/g, "-");
  bar.querySelectorAll("button[data-format]").forEach(function (button) {
    button.disabled = false;
    button.addEventListener("click", function () {
      var fmt = button.dataset.format;
      if (fmt === "csv") {
        var blob = new Blob([chartCsv(spec)], { type: "text/csv;charset=utf-8" });
        var url = URL.createObjectURL(blob);
        saveFile(name + ".csv", url);
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      } else {
        view.toImageURL(fmt, fmt === "png" ? 2 : 1).then(function (url) { saveFile(name + "." + fmt, url); });
      }
    });
  });
}

function wrapText(text, width, charPx) {
  // Lines that fit `width` pixels at about `charPx` per character (Vega draws an array as lines).
  var max = Math.max(12, Math.floor(width / charPx));
  var words = (Array.isArray(text) ? text.join(" ") : String(text)).split(/\s+/);
  var lines = [];
  var line = "";
  words.forEach(function (w) {
    if (line && (line + " " + w).length > max) { lines.push(line); line = w; } else { line = line ? line + " " + w : w; }
  });
  if (line) lines.push(line);
  return lines;
}

function fitText(spec, width) {
  // Title, unit and source line wrap to the chart's width instead of being cut off (phones).
  if (spec.title && spec.title.text) {
    spec.title.text = wrapText(spec.title.text, width, 8.6);
    var sub = spec.title.subtitle;
    if (sub) {
      spec.title.subtitle = [].concat.apply([], (Array.isArray(sub) ? sub : [sub]).map(function (line) {
        return wrapText(line, width, 6.4);
      }));
    }
  }
  var x = spec.encoding && spec.encoding.x;
  var y = spec.encoding && spec.encoding.y;
  if (x && typeof x.title === "string") {
    // The source line starts where the plot starts: after the labels of a horizontal bar chart.
    var plot = y && y.type === "nominal" ? width * 0.6 : width * 0.85;
    x.title = wrapText(x.title, plot, 5.8);
    if (x.axis && x.axis.title) x.axis.title = x.title;
  }
  return spec;
}

function drawCharts() {
  document.querySelectorAll(".vl-chart").forEach(function (el) {
    var source = document.getElementById(el.dataset.spec);
    if (!source || typeof vegaEmbed === "undefined") return;
    var spec = fitText(JSON.parse(source.textContent), el.clientWidth || 600);
    vegaEmbed(el, spec, { actions: false, renderer: "svg" })
      .then(function (result) { addDownloads(el, spec, result.view); el.dataset.rendered = "true"; })
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

function periodSlider() {
  // Moving the slider shows the period's label; letting go loads that period (a URL to share).
  var slider = document.getElementById("period-slider");
  if (!slider) return;
  var periods = slider.dataset.periods.split(",");
  var label = document.getElementById("period-label");
  var field = document.getElementById("period-field");
  slider.addEventListener("input", function () { label.textContent = periods[slider.value]; });
  slider.addEventListener("change", function () {
    field.value = periods[slider.value];
    document.getElementById("map-form").submit();
  });
}

document.addEventListener("DOMContentLoaded", function () {
  drawCharts();
  periodSlider();
  suggestCountries();
});
