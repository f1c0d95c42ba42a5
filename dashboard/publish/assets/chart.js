(function () {
  var spec = document.getElementById("chart-spec");
  var div = document.getElementById("chart");
  if (!spec || !div || !window.Plotly) { return; }
  performance.mark("shellcount:plotly-ready");  // plotly.js has run (deferred scripts run in order)
  var figure = JSON.parse(spec.textContent);
  function tellParent() {
    if (window.parent !== window) {
      window.parent.postMessage({type: "shellcount-embed-height", height: document.documentElement.scrollHeight}, "*");
    }
  }
  var placeholder = document.querySelector("figure.chart img.placeholder");
  if (placeholder) { placeholder.remove(); }  // in the same task as the first draw: no blank frame between
  Plotly.newPlot(div, figure.data, figure.layout, figure.config).then(function () {
    performance.mark("shellcount:chart-drawn");
    document.documentElement.setAttribute("data-chart", "drawn");
    tellParent();
  });
  if (document.body.classList.contains("embed") && window.ResizeObserver) {
    new ResizeObserver(tellParent).observe(document.body);
  }
})();
