// The /docs page: Swagger UI (vendored, no CDN) over the server's own OpenAPI schema.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("swagger-ui");
  if (!el || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: el.dataset.schema,
    dom_id: "#swagger-ui",
    validatorUrl: null,            // the public validator badge would call out to swagger.io
    deepLinking: true,
    defaultModelsExpandDepth: 0,
    onComplete: function () { el.dataset.rendered = "true"; },
  });
});
