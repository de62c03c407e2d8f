// Starts Swagger UI on /docs. A file, not an inline script, so the page's CSP can say script-src 'self'.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    showExtensions: true,
    tryItOutEnabled: false,
    validatorUrl: null, // the default would fetch a badge from validator.swagger.io
  });
})();
