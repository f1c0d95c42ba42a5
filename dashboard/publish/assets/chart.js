// Draws a page's chart after its static image: the image is the chart a reader sees at once; plotly.js (the
// bundle the publisher chose for this view, named on <figure data-plotly>) and the figure for this width and theme
// (figure[-phone][-dark].json beside the page) are fetched only once that image is drawn, so they never compete
// with it. Marks the page when drawn (tests and benchmarks wait for that), and inside an embed tells the parent
// page its height whenever it changes.
(function () {
  var figure = document.querySelector("figure.chart");
  var div = document.getElementById("chart");
  if (!figure || !div) { return; }
  var image = figure.querySelector("img.placeholder");
  var chosen = document.documentElement.getAttribute("data-theme");  // ?theme=, set by the inline theme script
  var dark = chosen ? chosen === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  var phone = div.clientWidth < 600;  // the phone figure's words are wrapped for a 390 px screen
  var name = "figure" + (phone ? "-phone" : "") + (dark ? "-dark" : "") + ".json";
  if (chosen && image) {  // <picture> follows the system; ?theme= may say otherwise
    var source = figure.querySelector("picture source");
    if (source) { source.remove(); }
    image.src = figure.getAttribute(dark ? "data-dark" : "data-light");
  }
  function tellParent() {
    if (window.parent !== window) {
      window.parent.postMessage({type: "shellcount-embed-height", height: document.documentElement.scrollHeight}, "*");
    }
  }
  function draw(chart) {
    if (image) { (image.parentNode.tagName === "PICTURE" ? image.parentNode : image).remove(); }  // same task as the draw
    Plotly.newPlot(div, chart.data, chart.layout, chart.config).then(function () {
      performance.mark("shellcount:chart-drawn");
      document.documentElement.setAttribute("data-bundle", figure.getAttribute("data-bundle"));
      document.documentElement.setAttribute("data-figure", name);
      document.documentElement.setAttribute("data-chart", "drawn");
      tellParent();
    });
  }
  function load() {
    var spec = fetch(figure.getAttribute("data-figures") + name).then(function (r) { return r.json(); });
    var script = document.createElement("script");
    script.src = figure.getAttribute("data-plotly");
    script.onload = function () {
      performance.mark("shellcount:plotly-ready");
      spec.then(draw);
    };
    document.head.appendChild(script);
  }
  if (!image || (image.complete && !chosen)) {
    load();
  } else {
    image.addEventListener("load", load, {once: true});
    image.addEventListener("error", load, {once: true});  // no image: draw the interactive chart all the same
  }
  if (document.body.classList.contains("embed") && window.ResizeObserver) {
    new ResizeObserver(tellParent).observe(document.body);
  }
})();
