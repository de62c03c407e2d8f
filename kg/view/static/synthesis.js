/*
 * evidence-kg synthesis page: draws the Vega-Lite specifications of the page with vega-embed.
 *
 * Every specification comes from the inert JSON block #syn-specs (built by kg/view/forest.py); this
 * script writes no HTML. Plots are drawn with the SVG renderer and Vega's expression interpreter
 * (`ast: true`), so no expression is compiled to code and the page needs no 'unsafe-eval'; vega-embed's
 * own stylesheet and action menu are off (the page's CSP allows no inline style), and its tooltip
 * keeps to the page's stylesheet.
 */
(function () {
  "use strict";

  var specs = JSON.parse(document.getElementById("syn-specs").textContent);
  var options = {
    renderer: "svg",
    ast: true,
    actions: false,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };
  var views = { forests: [], balance: null };

  function embed(element, spec) {
    return vegaEmbed(element, spec, options).then(function (result) {
      element.setAttribute("data-ready", "true");
      return result.view;
    }, function (error) {
      element.setAttribute("data-error", "true");
      element.textContent = "This plot could not be drawn: " + String(error && error.message || error);
      console.error(error);
      return null;
    });
  }

  function download(view, name) {
    view.toSVG().then(function (svg) {
      var url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      var link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
  }

  var pending = [];
  var balance = document.getElementById("syn-balance");
  if (balance) {
    pending.push(embed(balance, specs.balance).then(function (view) { views.balance = view; }));
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-plot="forest"]'), function (element) {
    var index = Number(element.getAttribute("data-index"));
    pending.push(embed(element, specs.forests[index]).then(function (view) { views.forests[index] = view; }));
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.syn-svg"), function (button) {
    button.addEventListener("click", function () {
      var index = Number(button.getAttribute("data-index"));
      var figure = document.getElementById("forest-" + index);
      var name = "forest-" + (figure ? figure.getAttribute("data-measure") : index) + ".svg";
      if (views.forests[index]) download(views.forests[index], name);
    });
  });
  Promise.all(pending).then(function () { document.body.setAttribute("data-ready", "true"); });

  /** Handle for tests and the console: the Vega views of the page. */
  window.kgSynthesis = { views: views, specs: specs };
})();
