// Trip planner: presets and sliders -> /api/routing/route/ -> the route, its warnings and what it avoided.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("planner-config").textContent);
  const t = config.strings;
  const form = document.getElementById("planner-form");
  const result = document.getElementById("result");
  const hint = document.getElementById("planner-hint");
  const preset = document.getElementById("preset");
  const sliders = Array.from(form.querySelectorAll("input[type=range]"));
  const unknownKerb = document.getElementById("p-unknown-kerb");
  let dirty = false;

  function applyPreset() {
    const values = config.presets.find(function (p) { return p.key === preset.value; }).values;
    sliders.forEach(function (s) { s.value = values[s.name]; show(s); });
    unknownKerb.value = values.unknown_policy.kerb;
    dirty = false;
  }
  function show(s) { document.getElementById("o-" + s.name).textContent = s.value; }
  sliders.forEach(function (s) { s.addEventListener("input", function () { show(s); dirty = true; }); });
  unknownKerb.addEventListener("change", function () { dirty = true; });
  preset.addEventListener("change", applyPreset);
  applyPreset();

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fmt(v, unit) { return v === null || v === undefined ? t.unknown : Math.round(v) + " " + unit; }

  // --- map ---------------------------------------------------------------------------------
  const mapEl = document.getElementById("map");
  let map = null;
  const empty = { type: "FeatureCollection", features: [] };
  if (window.maplibregl) {
    const sources = {};
    const layers = [{ id: "bg", type: "background", paint: { "background-color": "#eef1f4" } }];
    if (mapEl.dataset.basemap) {
      sources.basemap = { type: "raster", tiles: [mapEl.dataset.basemap], tileSize: 256 };
      layers.push({ id: "basemap", type: "raster", source: "basemap" });
    }
    const graph = config.graphs[0];
    const center = graph ? [(graph.bbox[0] + graph.bbox[2]) / 2, (graph.bbox[1] + graph.bbox[3]) / 2] : [126.93, 37.53];
    map = new maplibregl.Map({ container: mapEl, style: { version: 8, sources: sources, layers: layers }, center: center, zoom: 15,
      attributionControl: { customAttribution: mapEl.dataset.attribution } });
    map.addControl(new maplibregl.NavigationControl());
    map.on("load", function () {
      // The network coloured for the chosen profile, under the route (vector tiles).
      const net = config.network;
      const colors = ["match", ["get", "status"]];
      Object.entries(net.colors).forEach(function ([k, v]) { colors.push(k, v); });
      colors.push("#6e7781");
      networkUrl = networkTiles();
      map.addSource("network", { type: "vector", tiles: [networkUrl], minzoom: net.minzoom, maxzoom: 18,
        attribution: mapEl.dataset.attribution });
      map.addLayer({ id: "network", type: "line", source: "network", "source-layer": net.layer,
        paint: { "line-color": colors, "line-width": ["interpolate", ["linear"], ["zoom"], 13, 1.5, 18, 5], "line-opacity": 0.75 },
        layout: { "line-cap": "round" } });
      map.on("click", "network", function (e) {
        const p = e.features[0].properties;
        const lines = [];
        [["fwd", t.network_along], ["bwd", t.network_against]].forEach(function ([d, label]) {
          if (!p["status_" + d]) return;
          const why = (p["why_" + d] || "").split(",").filter(Boolean).map(function (c) { return net.why[c] || c; });
          lines.push(label + ": " + t["network_" + p["status_" + d]] + (why.length ? " (" + why.join(", ") + ")" : ""));
        });
        new maplibregl.Popup().setLngLat(e.lngLat).setText(lines.join(" · ")).addTo(map);
      });
      map.addSource("route", { type: "geojson", data: empty });
      map.addLayer({ id: "alternatives", type: "line", source: "route", filter: ["==", ["get", "role"], "alternative"],
        paint: { "line-color": "#7a869a", "line-width": 4, "line-dasharray": [2, 1] } });
      map.addLayer({ id: "route", type: "line", source: "route", filter: ["==", ["get", "role"], "route"],
        paint: { "line-color": "#0b5cad", "line-width": 6 } });
      map.addLayer({ id: "unknown", type: "line", source: "route",
        filter: ["all", ["==", ["get", "role"], "segment"], [">", ["length", ["get", "unknown"]], 2]],
        paint: { "line-color": "#d97706", "line-width": 3 } });
      map.addLayer({ id: "ends", type: "circle", source: "route", filter: ["==", ["geometry-type"], "Point"],
        paint: { "circle-radius": 7, "circle-color": "#fff", "circle-stroke-color": "#0b5cad", "circle-stroke-width": 3 } });
    });
    map.on("click", function (e) {
      const text = e.lngLat.lng.toFixed(6) + "," + e.lngLat.lat.toFixed(6);
      const origin = document.getElementById("origin");
      const destination = document.getElementById("destination");
      if (!origin.value || destination.value) { origin.value = text; destination.value = ""; hint.textContent = t.pick_destination; }
      else { destination.value = text; findRoute(); }
    });
  }

  // --- request and answer --------------------------------------------------------------------
  function profileQuery() {
    const q = new URLSearchParams();
    q.set("profile", preset.value);
    if (dirty) {
      sliders.forEach(function (s) { q.set(s.name, s.value); });
      q.set("unknown_policy", "kerb:" + unknownKerb.value);
    }
    return q;
  }
  function networkTiles() {
    return window.location.origin + config.network.tiles + "?" + profileQuery().toString();
  }
  // The network follows the profile: new tiles after a preset or slider change (debounced).
  let networkTimer = null;
  let networkUrl = null;
  function refreshNetwork() {
    window.clearTimeout(networkTimer);
    networkTimer = window.setTimeout(function () {
      const source = map && map.getSource("network");
      const url = networkTiles();
      if (source && url !== networkUrl) { networkUrl = url; source.setTiles([url]); }
    }, 250);
  }
  form.addEventListener("input", refreshNetwork);
  form.addEventListener("change", refreshNetwork);

  function query() {
    const q = new URLSearchParams();
    q.set("origin", document.getElementById("origin").value.trim());
    q.set("destination", document.getElementById("destination").value.trim());
    q.set("graph", document.getElementById("graph").value);
    profileQuery().forEach(function (v, k) { q.set(k, v); });
    return q;
  }

  function renderRoute(data) {
    result.replaceChildren();
    const route = data.features.find(function (f) { return f.properties.role === "route"; });
    const p = route.properties;
    result.appendChild(el("p", "summary",
      t.length + " " + fmt(p.length_m, "m") + " · " + t.duration + " " + Math.max(1, Math.round(p.duration_s / 60)) + " " + t.minutes +
      " · " + t.ascent + " " + fmt(p.ascent_m, "m") + " · " + t.descent + " " + fmt(p.descent_m, "m")));
    if (p.avoided && p.avoided.text) {
      result.appendChild(el("p", "avoided", t.avoided + ": " + p.avoided.text));
    }
    result.appendChild(el("h2", null, t.warnings));
    const list = el("ul", "warnings");
    list.id = "route-warnings";
    p.warnings.forEach(function (w) { list.appendChild(el("li", w.severity, w.message)); });
    if (!p.warnings.length) list.appendChild(el("li", null, t.no_warnings));
    result.appendChild(list);
    const alts = data.features.filter(function (f) { return f.properties.role === "alternative"; });
    if (alts.length) {
      result.appendChild(el("p", "alternatives", t.alternatives + ": " + alts.map(function (a) {
        return fmt(a.properties.length_m, "m") + " / " + Math.round(a.properties.duration_s / 60) + " " + t.minutes; }).join(", ")));
    }
    if (map && map.getSource("route")) {
      map.getSource("route").setData(data);
      const coords = route.geometry.coordinates;
      const bounds = coords.reduce(function (b, c) { return b.extend(c); }, new maplibregl.LngLatBounds(coords[0], coords[0]));
      map.fitBounds(bounds, { padding: 40, maxZoom: 18 });
    }
  }

  function renderError(body) {
    result.replaceChildren();
    result.appendChild(el("p", "no-route", (body.code === "no_route" ? t.no_route + ": " : "") + (body.detail || t.error)));
    (body.relaxations || []).forEach(function (r) {
      const item = el("p", "relaxation", r.message + " ");
      const slider = document.getElementById("p-" + r.parameter);
      if (slider && typeof r.value === "number") {
        const button = el("button", null, t.apply);
        button.type = "button";
        button.addEventListener("click", function () { slider.value = r.value; show(slider); dirty = true; findRoute(); });
        item.appendChild(button);
      }
      result.appendChild(item);
    });
    if (body.nearest_reachable) {
      result.appendChild(el("p", null, t.nearest.replace("%(m)s", Math.round(body.nearest_reachable.distance_to_destination_m))));
    }
    if (map && map.getSource("route")) map.getSource("route").setData(empty);
  }

  function findRoute() {
    result.replaceChildren(el("p", null, t.searching));
    fetch("/api/routing/route/?" + query().toString(), { headers: { Accept: "application/json", "Accept-Language": config.lang } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (r) { if (r.ok) renderRoute(r.body); else renderError(r.body); })
      .catch(function () { result.replaceChildren(el("p", "no-route", t.error)); });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); findRoute(); });
})();
