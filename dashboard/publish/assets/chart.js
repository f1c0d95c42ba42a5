// Draws a page's chart from the JSON beside it, after its static image: the image is the chart a reader sees at
// once; plotly.js (the bundle the publisher chose for this figure, named on <figure data-plotly>) is fetched only
// once that image is drawn, so the bundle never competes with it. Marks the page when drawn (tests and benchmarks
// wait for that), and inside an embed tells the parent page its height whenever it changes.
(function () {
  var spec = document.getElementById("chart-spec");
  var figure = document.querySelector("figure.chart");
  var div = document.getElementById("chart");
  if (!spec || !figure || !div) { return; }
  var image = figure.querySelector("img.placeholder");
  function tellParent() {
    if (window.parent !== window) {
      window.parent.postMessage({type: "shellcount-embed-height", height: document.documentElement.scrollHeight}, "*");
    }
  }
  function draw() {
    performance.mark("shellcount:plotly-ready");
    var chart = JSON.parse(spec.textContent);
    if (image) { image.remove(); }  // in the same task as the first draw: no blank frame between
    Plotly.newPlot(div, chart.data, chart.layout, chart.config).then(function () {
      performance.mark("shellcount:chart-drawn");
      document.documentElement.setAttribute("data-bundle", figure.getAttribute("data-bundle"));
      document.documentElement.setAttribute("data-chart", "drawn");
      tellParent();
    });
  }
  function load() {
    var script = document.createElement("script");
    script.src = figure.getAttribute("data-plotly");
    script.onload = draw;
    document.head.appendChild(script);
  }
  if (!image || image.complete) {
    load();
  } else {
    image.addEventListener("load", load, {once: true});
    image.addEventListener("error", load, {once: true});  // no image: draw the interactive chart all the same
  }
  if (document.body.classList.contains("embed") && window.ResizeObserver) {
    new ResizeObserver(tellParent).observe(document.body);
  }
})();
