// Starts Swagger UI from the vendored bundle; the spec URL comes from data-spec-url
// so that the page needs no inline script.
(function () {
  "use strict";

  function start() {
    var container = document.getElementById("swagger-ui-container");
    if (!container || typeof window.SwaggerUIBundle !== "function") {
      return;
    }
    var config = {url: container.dataset.specUrl, dom_id: "#swagger-ui-container"};
    var overrides = {};
    try {
      overrides = JSON.parse(container.dataset.config || "{}");
    } catch (error) {
      overrides = {};
    }
    Object.keys(overrides).forEach(function (key) {
      config[key] = overrides[key];
    });
    window.ui = window.SwaggerUIBundle(config);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
