/* atis charts: draws every <div class="atis-chart" data-chart="ID"> from the JSON in
   <script type="application/json" id="ID"> (written by Django's json_script). No inline
   script, no inline style: works under the strict CSP. Needs plotly.min.js loaded first. */
(function () {
  "use strict";
  function draw() {
    if (typeof window.Plotly === "undefined") { return; }
    document.querySelectorAll(".atis-chart[data-chart]").forEach(function (container) {
      var source = document.getElementById(container.getAttribute("data-chart"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      window.Plotly.newPlot(container, spec.data, spec.layout, {
        displayModeBar: false, responsive: true, locale: document.documentElement.lang || "en"
      }).then(function () { container.setAttribute("data-drawn", "true"); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
