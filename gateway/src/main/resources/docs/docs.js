// The hub's API documentation page (gateway, /docs/): Swagger UI over the published specs, served by the gateway.
// Settings come from the page's #swagger-ui data attributes, written by the gateway (docs/ApiDocs.java).
(function () {
  'use strict';

  var root = document.getElementById('swagger-ui');
  var settings = root.dataset;

  function sameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (e) {
      return false;
    }
  }

  function header(req, name) {
    var headers = req.headers || {};
    for (var key in headers) {
      if (Object.prototype.hasOwnProperty.call(headers, key) && key.toLowerCase() === name.toLowerCase()) {
        return headers[key];
      }
    }
    return undefined;
  }

  // Swagger UI's own token request of "Authorize" (OAuth2 client credentials): a form POST with grant_type
  function isTokenRequest(req) {
    return String(req.method).toUpperCase() === 'POST'
      && header(req, 'X-Requested-With') === 'XMLHttpRequest'
      && typeof req.body === 'string'
      && /(^|&)grant_type=client_credentials(&|$)/.test(req.body);
  }

  function xsrfToken() {
    var cookie = document.cookie.split('; ').find(function (c) { return c.indexOf('XSRF-TOKEN=') === 0; });
    return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : null;
  }

  function requestInterceptor(req) {
    req.headers = req.headers || {};
    // the issuer need not answer cross-origin requests: where the gateway relays token requests, send them there
    if (settings.tokenRelay && isTokenRequest(req)) {
      req.url = new URL(settings.tokenRelay, window.location.href).href;
    }
    // a person signed in to the hub: a write riding the session needs the CSRF header (as the dashboard sends it)
    var method = String(req.method || 'GET').toUpperCase();
    if (sameOrigin(req.url) && ['GET', 'HEAD', 'OPTIONS', 'TRACE'].indexOf(method) < 0 && !header(req, 'X-XSRF-TOKEN')) {
      var token = xsrfToken();
      if (token) {
        req.headers['X-XSRF-TOKEN'] = token;
      }
    }
    return req;
  }

  function start(list) {
    var apis = (list.specs || []).filter(function (s) { return s.api; });
    var ui = window.SwaggerUIBundle({
      urls: apis.map(function (s) {
        return { url: s.url, name: s.title + (s.version ? ' ' + s.version : '') + ' · ' + s.file };
      }),
      dom_id: '#swagger-ui',
      deepLinking: true,
      presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
      plugins: [window.SwaggerUIBundle.plugins.DownloadUrl],
      layout: 'StandaloneLayout',
      // nothing from elsewhere: no online validator badge
      validatorUrl: null,
      oauth2RedirectUrl: new URL(settings.oauth2Redirect, window.location.href).href,
      persistAuthorization: false,
      requestInterceptor: requestInterceptor
    });
    ui.initOAuth({
      clientId: settings.clientId || '',
      appName: '接口文档 · API documentation',
      scopeSeparator: ' ',
      usePkceWithAuthorizationCodeGrant: true
    });
    window.ui = ui;
  }

  fetch(settings.specs, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(function (r) {
      if (!r.ok) {
        throw new Error(settings.specs + ' answered ' + r.status);
      }
      return r.json();
    })
    .then(start)
    .catch(function (e) {
      root.textContent = '接口列表无法加载 · the list of specs could not be loaded: ' + e.message;
    });
})();
