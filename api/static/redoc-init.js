// Starts ReDoc on /redoc. A file, not an inline script, so the page's CSP can say script-src 'self'.
"use strict";
(function () {
  var root = document.getElementById("redoc");
  Redoc.init(root.dataset.openapiUrl, { hideDownloadButton: false, disableSearch: false }, root);
})();
