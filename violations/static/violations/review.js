// Officials' report page: the location and linked bay on a map, and the manual redaction tool.
// Rectangles are drawn with the pointer (or typed in pixels) and sent to the photo redaction API;
// approving or rejecting goes to the photo review API, each with the photo revision on screen (a
// colleague's change in between answers 412). Transitions and notes are plain forms.
(function () {
  "use strict";
  const text = JSON.parse(document.getElementById("review-text").textContent);
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const redactionLabels = JSON.parse(document.getElementById("redaction-labels").textContent);

  function showMap() {
    const el = document.getElementById("review-map");
    if (!el || !window.maplibregl) return;
    const report = JSON.parse(document.getElementById("report-point").textContent);
    const spot = JSON.parse(document.getElementById("spot-point").textContent);
    const features = [{ type: "Feature", properties: { kind: "report" }, geometry: { type: "Point", coordinates: report } }];
    if (spot) {
      features.push({ type: "Feature", properties: { kind: "bay" }, geometry: { type: "Point", coordinates: spot } });
      features.push({ type: "Feature", properties: { kind: "link" }, geometry: { type: "LineString", coordinates: [report, spot] } });
    }
    const sources = { report: { type: "geojson", data: { type: "FeatureCollection", features: features } } };
    const layers = [{ id: "bg", type: "background", paint: { "background-color": "#eef1f4" } }];
    if (el.dataset.basemap) {
      sources.basemap = { type: "raster", tiles: [el.dataset.basemap], tileSize: 256, attribution: el.dataset.attribution };
      layers.push({ id: "basemap", type: "raster", source: "basemap" });
    }
    layers.push({ id: "link", type: "line", source: "report", filter: ["==", ["get", "kind"], "link"], paint: { "line-color": "#444", "line-dasharray": [2, 2] } });
    layers.push({ id: "bay", type: "circle", source: "report", filter: ["==", ["get", "kind"], "bay"], paint: { "circle-radius": 9, "circle-color": "#1f5fbf", "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
    layers.push({ id: "report", type: "circle", source: "report", filter: ["==", ["get", "kind"], "report"], paint: { "circle-radius": 7, "circle-color": "#a1001a", "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
    try {
      const map = new maplibregl.Map({ container: el, style: { version: 8, sources: sources, layers: layers },
        center: report, zoom: 17, attributionControl: { customAttribution: el.dataset.attribution } });
      map.addControl(new maplibregl.NavigationControl());
      if (spot) map.fitBounds([[Math.min(report[0], spot[0]), Math.min(report[1], spot[1])], [Math.max(report[0], spot[0]), Math.max(report[1], spot[1])]], { padding: 60, maxZoom: 18, duration: 0 });
    } catch (err) {
      el.textContent = text.report + ": " + report[1] + ", " + report[0];  // no WebGL: coordinates
    }
  }

  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().then(function (data) {
          if (r.ok) return data;
          const err = new Error(data.detail + (data.errors ? " " + Object.values(data.errors).flat().join(" ") : ""));
          err.status = r.status;
          err.data = data;
          throw err;
        });
      });
  }

  function redactionTool(box, photo) {
    const img = box.querySelector("img.original");
    const canvas = box.querySelector("canvas.draw");
    const list = box.querySelector("ul.rects");
    const statusLine = box.querySelector(".photo-status");
    const width = Number(box.dataset.width);
    const height = Number(box.dataset.height);
    const rects = (photo.manual_regions || []).map(function (r) { return r.slice(0, 4); });
    let start = null;
    let current = null;

    function scale() { return img.clientWidth ? width / img.clientWidth : 1; }
    function draw() {
      canvas.width = img.clientWidth;
      canvas.height = img.clientHeight;
      const ctx = canvas.getContext("2d");
      const s = scale();
      ctx.lineWidth = 2;
      (photo.auto_regions || []).forEach(function (r) { ctx.strokeStyle = "#f5b700"; ctx.strokeRect(r[0] / s, r[1] / s, r[2] / s, r[3] / s); });
      rects.concat(current ? [current] : []).forEach(function (r) { ctx.strokeStyle = "#e00"; ctx.strokeRect(r[0] / s, r[1] / s, r[2] / s, r[3] / s); });
    }
    function render() {
      list.textContent = "";
      rects.forEach(function (r, i) {
        const li = document.createElement("li");
        li.textContent = "[" + r.join(", ") + "] ";
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "secondary";
        remove.textContent = text.remove;
        remove.addEventListener("click", function () { rects.splice(i, 1); render(); });
        li.appendChild(remove);
        list.appendChild(li);
      });
      draw();
    }
    function point(ev) {
      const bounds = canvas.getBoundingClientRect();
      const s = scale();
      return [Math.max(0, Math.min(width, Math.round((ev.clientX - bounds.left) * s))),
        Math.max(0, Math.min(height, Math.round((ev.clientY - bounds.top) * s)))];
    }
    function rectFrom(a, b) { return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])]; }
    canvas.addEventListener("pointerdown", function (ev) { start = point(ev); canvas.setPointerCapture(ev.pointerId); });
    canvas.addEventListener("pointermove", function (ev) { if (start) { current = rectFrom(start, point(ev)); draw(); } });
    canvas.addEventListener("pointerup", function (ev) {
      if (!start) return;
      const r = rectFrom(start, point(ev));
      start = current = null;
      if (r[2] > 2 && r[3] > 2) rects.push(r);
      render();
    });
    box.querySelector(".add-rect").addEventListener("click", function () {
      const r = ["x", "y", "w", "h"].map(function (k) { return Number(box.querySelector(".rect-" + k).value); });
      if (r.every(function (v) { return Number.isFinite(v); }) && r[2] > 0 && r[3] > 0) { rects.push(r); render(); }
    });
    const buttons = box.querySelectorAll(".actions button");
    function busy(on) { buttons.forEach(function (b) { b.disabled = on; }); }
    // The revision sent with approve is the one whose redacted copy is on screen: it is adopted
    // only once that copy has loaded, so a click can never publish a copy nobody saw.
    function showCopy(revision, status, message) {
      const preview = box.querySelector("img.redacted");
      if (status) box.querySelector(".redaction-status").textContent = redactionLabels[status] || status;
      function settle(loaded) {
        if (loaded) box.dataset.revision = String(revision);
        busy(false);
        statusLine.textContent = message;
      }
      busy(true);
      preview.onload = function () { settle(true); };
      preview.onerror = function () { settle(false); };
      preview.src = photo.redacted_url + "?t=" + Date.now();
    }
    function send(url, body, message) {
      busy(true);
      body.revision = Number(box.dataset.revision);
      post(url, body).then(function (d) { showCopy(d.revision, d.redaction_status, message); }, function (err) {
        if (err.status === 412 && err.data && err.data.code === "stale_version") {
          render();  // the official's rectangles stay on screen, nothing is lost
          showCopy(err.data.current_revision, err.data.current_status, text.stale);
        } else {
          busy(false);
          statusLine.textContent = text.error + ": " + err.message;
        }
      });
    }
    box.querySelector(".save-redaction").addEventListener("click", function () {
      send(box.dataset.redactionUrl, { regions: rects }, text.saved);
    });
    box.querySelector(".approve").addEventListener("click", function () {
      send(box.dataset.reviewUrl, { decision: "approve" }, text.approved);
    });
    box.querySelector(".reject").addEventListener("click", function () {
      send(box.dataset.reviewUrl, { decision: "reject" }, text.rejected);
    });
    if (img.complete) render(); else img.addEventListener("load", render);
    window.addEventListener("resize", draw);
  }

  showMap();
  const photos = JSON.parse(document.getElementById("photo-data").textContent);
  document.querySelectorAll(".photo-review").forEach(function (box) {
    const photo = photos.find(function (p) { return p.key === box.dataset.key; });
    if (photo) redactionTool(box, photo);
  });
})();
