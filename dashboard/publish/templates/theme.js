(function () {
  var chosen = /[?&]theme=(light|dark)(?:&|$)/.exec(location.search);
  if (chosen) { document.documentElement.setAttribute("data-theme", chosen[1]); }
})();
