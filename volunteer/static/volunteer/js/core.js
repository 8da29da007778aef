// modugil volunteer app: shared helpers (translations, API calls, announcements, DOM building).
(function () {
  "use strict";
  const M = (window.Modugil = window.Modugil || {});
  const stringsEl = document.getElementById("modugil-strings");
  const strings = stringsEl ? JSON.parse(stringsEl.textContent) : {};
  const body = document.body;

  M.userId = body.dataset.userId ? Number(body.dataset.userId) : null;
  M.loginUrl = body.dataset.loginUrl || "/accounts/login/";
  M.photoMaxSidePx = Number(body.dataset.photoMaxSide || 1600);
  M.mapCenter = JSON.parse(body.dataset.mapCenter || "[126.9245, 37.5265]");
  M.basemapUrl = body.dataset.basemap || "";
  M.attribution = body.dataset.attribution || "";

  // Translated UI text (rendered by Django, see volunteer/strings.py); %(name)s placeholders.
  M.t = function (key, values) {
    let text = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
    Object.entries(values || {}).forEach(function ([name, value]) {
      text = text.split("%(" + name + ")s").join(String(value));
    });
    return text;
  };

  M.csrf = function () {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  class ApiError extends Error {
    constructor(status, data, offline) {
      super((data && data.detail) || (offline ? "offline" : "HTTP " + status));
      this.status = status;
      this.data = data || {};
      this.offline = Boolean(offline);
    }
  }
  M.ApiError = ApiError;

  // fetch() for our JSON API: session cookie, CSRF header on writes, errors as ApiError.
  M.api = async function (url, options) {
    const opts = options || {};
    const method = opts.method || "GET";
    const headers = Object.assign({ Accept: "application/json" }, opts.headers || {});
    let payload = opts.body;
    if (method !== "GET") headers["X-CSRFToken"] = M.csrf();
    if (payload !== undefined && !(payload instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(payload);
    }
    let response;
    try {
      response = await fetch(url, { method: method, headers: headers, body: payload, credentials: "same-origin" });
    } catch (err) {
      throw new ApiError(0, null, true);
    }
    let data = null;
    if (response.status !== 204) {
      try { data = await response.json(); } catch (err) { data = null; }
    }
    if (!response.ok) throw new ApiError(response.status, data, false);
    return { status: response.status, data: data, etag: response.headers.get("ETag") };
  };

  // Field errors from our API's one error shape, as "label: message" lines.
  M.errorText = function (err) {
    if (err.offline) return M.t("offline_saved");
    const fields = (err.data && err.data.errors) || {};
    const lines = Object.entries(fields).map(function ([field, messages]) {
      return field + ": " + [].concat(messages).join(" ");
    });
    return [err.message].concat(lines).join("\n");
  };

  // Polite announcement for screen readers, also shown as a toast above the tab bar.
  let toastTimer = null;
  M.announce = function (message, kind) {
    const el = document.getElementById("status");
    if (!el) return;
    el.textContent = "";
    el.className = "toast " + (kind || "info");
    window.setTimeout(function () { el.textContent = message; }, 30);
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { el.className = "toast hidden"; }, 6000);
  };

  // Tiny DOM builder: text is always set as text, never parsed as HTML.
  M.el = function (tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([key, value]) {
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    [].concat(children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  // What is known about a contribution: label and value with its unit, as a definition list.
  M.valuesList = function (values) {
    if (!values || !values.length) return M.el("p", { class: "muted", text: M.t("nothing_known") });
    return M.el("dl", { class: "values" }, values.flatMap(function (v) {
      return [M.el("dt", { text: v.label }), M.el("dd", { text: v.display })];
    }));
  };

  M.distanceText = function (metres) {
    if (metres === null || metres === undefined) return "";
    if (metres < 1000) return M.t("distance_m", { n: Math.round(metres) });
    return M.t("distance_km", { n: (metres / 1000).toFixed(1) });
  };

  M.dateText = function (iso) {
    const locale = document.documentElement.lang || "ko";
    return new Date(iso).toLocaleDateString(locale, { year: "numeric", month: "short", day: "numeric" });
  };

  // Replace every "$value" in a (nested) patch template with the number the person typed.
  M.fillTemplate = function (template, value) {
    if (template === "$value") return value;
    if (Array.isArray(template)) return template.map(function (item) { return M.fillTemplate(item, value); });
    if (template && typeof template === "object") {
      const out = {};
      Object.keys(template).forEach(function (key) { out[key] = M.fillTemplate(template[key], value); });
      return out;
    }
    return template;
  };

  M.uuid = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  };

  // The person's position: one watch shared by every screen; "modugil:position" events.
  M.position = null;
  M.watchPosition = function () {
    if (M._watching || !navigator.geolocation) return;
    M._watching = true;
    navigator.geolocation.watchPosition(
      function (pos) {
        M.position = { lon: pos.coords.longitude, lat: pos.coords.latitude, accuracy_m: pos.coords.accuracy };
        document.dispatchEvent(new CustomEvent("modugil:position", { detail: M.position }));
      },
      function () {
        document.dispatchEvent(new CustomEvent("modugil:position-error"));
      },
      { enableHighAccuracy: true, maximumAge: 10000, timeout: 20000 }
    );
  };
})();
