// Officials' dashboard: hexagons (cases or Gi*), kernel-density heat map, ranking with trend,
// violations per bay, and the reports as points when zoomed in. Case hexagons and points are
// vector tiles (/tiles/violation-hexagons-official/, /tiles/violations/: the resolution follows
// the zoom, an edit shows on the next tile); Gi*, density and ranking come from
// /api/violations/hotspots/. Every layer uses the same filters.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const form = document.getElementById("filters");
  if (!el || !form || !window.maplibregl) return;
  const text = JSON.parse(document.getElementById("dashboard-text").textContent);
  const statusLine = document.getElementById("status-line");
  const api = "/api/violations/hotspots/";
  const GISTAR = { hot_99: "#b2182b", hot_95: "#ef8a62", hot_90: "#fddbc7", not_significant: "#f7f7f7",
    cold_90: "#d1e5f0", cold_95: "#67a9cf", cold_99: "#2166ac" };
  const sources = {};
  const layers = [{ id: "bg", type: "background", paint: { "background-color": "#eef1f4" } }];
  if (el.dataset.basemap) {
    sources.basemap = { type: "raster", tiles: [el.dataset.basemap], tileSize: 256, attribution: el.dataset.attribution };
    layers.push({ id: "basemap", type: "raster", source: "basemap" });
  }
  let map = null;
  try {
    map = new maplibregl.Map({ container: el, style: { version: 8, sources: sources, layers: layers },
      center: [127.13, 36.82], zoom: 11, attributionControl: { customAttribution: el.dataset.attribution } });
    map.addControl(new maplibregl.NavigationControl());
  } catch (err) {
    el.textContent = text.error + " (WebGL)";  // the ranking and exports still work
  }
  const mapReady = new Promise(function (resolve) { if (map) map.on("load", resolve); });
  function zoomLevel() { return map ? Math.round(map.getZoom()) : 12; }
  let fitted = false;
  let lastZoom = null;

  function query(extra) {
    const params = new URLSearchParams();
    const data = new FormData(form);
    ["start", "end", "hours", "district"].forEach(function (k) { if (data.get(k)) params.set(k, data.get(k)); });
    ["weekdays", "type", "status", "source"].forEach(function (k) {
      const values = data.getAll(k);
      if (values.length) params.set(k, values.join(","));
    });
    Object.entries(extra || {}).forEach(function ([k, v]) { params.set(k, v); });
    return params.toString();
  }
  function get(path, extra) {
    return fetch(api + path + "?" + query(extra), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }
  function setData(id, data) {
    const source = map && map.getSource(id);
    if (source) source.setData(data);
  }
  function hexPaint(mode, maxCases) {
    if (mode === "gistar") {
      const match = ["match", ["get", "hotspot"]];
      Object.entries(GISTAR).forEach(function ([k, v]) { match.push(k, v); });
      match.push("#f7f7f7");
      return match;
    }
    const top = Math.max(maxCases, 2);
    return ["interpolate", ["linear"], ["get", "cases"], 0, "#fff7ec", top * 0.1, "#fdbb84", top * 0.4, "#ef6548", top, "#7f0000"];
  }
  function legend(mode, maxCases) {
    const ul = document.getElementById("legend");
    ul.textContent = "";
    const entries = mode === "gistar" ? Object.entries(GISTAR).map(function ([k, v]) { return [v, text[k]]; })
      : [["#fff7ec", "0 " + text.cases], ["#ef6548", Math.round(maxCases * 0.4) + " " + text.cases], ["#7f0000", maxCases + " " + text.cases]];
    entries.forEach(function ([colour, label]) {
      const li = document.createElement("li");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = colour;
      li.appendChild(sw);
      li.appendChild(document.createTextNode(label));
      ul.appendChild(li);
    });
  }
  function fit(features) {
    if (fitted || !features.length || !map) return;
    const b = new maplibregl.LngLatBounds();
    features.forEach(function (f) { f.geometry.coordinates[0].forEach(function (c) { b.extend(c); }); });
    map.fitBounds(b, { padding: 20, duration: 0 });
    fitted = true;
  }
  const TILE_LAYERS = { hex: "violation-hexagons-official", points: "violations" };
  const tileUrls = {};
  function tileUrl(layer) { return window.location.origin + "/tiles/" + layer + "/{z}/{x}/{y}.pbf?" + query({}); }
  function showHexLayers(mode) {
    if (!map) return;
    map.setLayoutProperty("hex", "visibility", mode === "gistar" ? "visible" : "none");
    map.setLayoutProperty("hex-tiles", "visibility", mode === "gistar" ? "none" : "visible");
  }
  function summarise(features, mode) {
    const maxCases = features.reduce(function (m, f) { return Math.max(m, f.properties.cases); }, 0);
    legend(mode, maxCases);
    const total = features.reduce(function (s, f) { return s + f.properties.cases; }, 0);
    statusLine.textContent = features.length ? text.loaded + ": " + total + " " + text.cases + ", " + features.length + " " + text.hexagons : text.none;
    return maxCases;
  }
  // The tile sources follow the filters (even while hidden, so they never show stale cells).
  function updateTileSources() {
    if (!map) return;
    Object.entries(TILE_LAYERS).forEach(function ([id, layer]) {
      const source = map.getSource(id + "-tiles");
      const url = tileUrl(layer);
      if (source && tileUrls[id] !== url) { tileUrls[id] = url; source.setTiles([url]); }
    });
  }
  // Case hexagons from vector tiles; the legend and the status line count what is loaded.
  function loadHexagonTiles() {
    updateTileSources();
    return new Promise(function (resolve) {
      map.once("idle", function () {
        const seen = {};
        map.querySourceFeatures("hex-tiles", { sourceLayer: TILE_LAYERS.hex }).forEach(function (f) { seen[f.id] = f; });
        const maxCases = summarise(Object.values(seen), "cases");
        map.setPaintProperty("hex-tiles", "fill-color", hexPaint("cases", maxCases));
        resolve();
      });
      map.triggerRepaint();
    });
  }
  function loadHexagons() {
    const mode = document.getElementById("f-layer").value;
    showHexLayers(mode);
    if (map && mode !== "gistar") return loadHexagonTiles();
    const zoom = zoomLevel();
    lastZoom = zoom;
    return get(mode === "gistar" ? "gistar/" : "hexagons/", { zoom: zoom }).then(function (data) {
      setData("hex", data);
      const maxCases = summarise(data.features, mode);
      if (map && map.getLayer("hex")) map.setPaintProperty("hex", "fill-color", hexPaint(mode, maxCases));
      fit(data.features);
    });
  }
  function loadHeat() {
    const show = document.getElementById("f-heat").checked;
    if (map && map.getLayer("heat")) map.setLayoutProperty("heat", "visibility", show ? "visible" : "none");
    if (!show || !map) return Promise.resolve();
    return get("density/", { zoom: zoomLevel() }).then(function (data) {
      const max = data.meta.max_density || 1;
      data.features.forEach(function (f) { f.properties.weight = f.properties.density / max; });
      setData("heat", data);
    });
  }
  function cell(tr, value, cls) {
    const td = document.createElement("td");
    td.textContent = value;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  function loadRanking() {
    return get("ranking/", { zoom: zoomLevel() }).then(function (data) {
      if (!fitted && map && data.results.length) {  // the hotspots in view at first
        const b = new maplibregl.LngLatBounds();
        data.results.forEach(function (r) { b.extend([r.lon, r.lat]); });
        map.fitBounds(b, { padding: 40, duration: 0, maxZoom: 14 });
        fitted = true;
      }
      const body = document.querySelector("#ranking tbody");
      body.textContent = "";
      data.results.forEach(function (r) {
        const tr = document.createElement("tr");
        cell(tr, r.rank);
        const where = document.createElement("td");
        const link = document.createElement("a");
        link.href = "#map";
        link.textContent = ((r.district || "") + " " + (r.place || "")).trim() || r.cell;
        link.addEventListener("click", function (e) { e.preventDefault(); if (map) map.flyTo({ center: [r.lon, r.lat], zoom: 16 }); });
        where.appendChild(link);
        tr.appendChild(where);
        cell(tr, r.cases);
        cell(tr, r.previous_cases);
        const pct = r.change_pct === null ? "" : " (" + (r.change_pct > 0 ? "+" : "") + r.change_pct + "%)";
        cell(tr, text[r.trend] + pct, "trend-" + r.trend);
        cell(tr, r.bays);
        body.appendChild(tr);
      });
      const bays = document.querySelector("#bays tbody");
      bays.textContent = "";
      data.bays.forEach(function (b) {
        const tr = document.createElement("tr");
        cell(tr, b.name || b.address);
        cell(tr, b.bays);
        cell(tr, b.cases);
        cell(tr, b.per_bay);
        bays.appendChild(tr);
      });
    });
  }
  function exports() {
    const q = query({});
    document.getElementById("x-csv").href = api + "export.csv?" + q;
    document.getElementById("x-gpkg").href = api + "export.gpkg?" + q;
    document.getElementById("x-html").href = api + "report.html?" + q;
  }
  function refresh() {
    statusLine.textContent = text.loading;
    exports();
    mapReady.then(updateTileSources);
    const layersLoaded = mapReady.then(function () { return Promise.all([loadHexagons(), loadHeat()]); });
    return Promise.all([loadRanking(), map ? layersLoaded : loadHexagons()])
      .catch(function () { statusLine.textContent = text.error; });
  }
  fetch("/api/violations/districts/", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (rows) {
    const select = document.getElementById("f-district");
    rows.forEach(function (row) {
      const option = document.createElement("option");
      option.value = row.district;
      option.textContent = row.district + " (" + row.cases + ")";
      select.appendChild(option);
    });
  }).catch(function () {});
  mapReady.then(function () {
    map.addSource("hex", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addSource("heat", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "heat", type: "heatmap", source: "heat", paint: {
      "heatmap-weight": ["get", "weight"], "heatmap-radius": 18, "heatmap-opacity": 0.75 } });
    map.addLayer({ id: "hex", type: "fill", source: "hex", paint: { "fill-color": "#fdbb84", "fill-opacity": 0.6, "fill-outline-color": "#666" } });
    map.addSource("hex-tiles", { type: "vector", tiles: [tileUrl(TILE_LAYERS.hex)], minzoom: 8, maxzoom: 17 });
    map.addLayer({ id: "hex-tiles", type: "fill", source: "hex-tiles", "source-layer": TILE_LAYERS.hex,
      paint: { "fill-color": "#fdbb84", "fill-opacity": 0.6, "fill-outline-color": "#666" } });
    map.addSource("points-tiles", { type: "vector", tiles: [tileUrl(TILE_LAYERS.points)], minzoom: 12, maxzoom: 18 });
    map.addLayer({ id: "points", type: "circle", source: "points-tiles", "source-layer": TILE_LAYERS.points, minzoom: 14,
      paint: { "circle-radius": 5, "circle-color": "#a40e26", "circle-stroke-color": "#fff", "circle-stroke-width": 1.5 } });
    ["hex", "hex-tiles"].forEach(function (id) {
      map.on("click", id, function (e) {
        const p = e.features[0].properties;
        const lines = [text.cases + ": " + p.cases];
        if (p.hotspot) lines.push(text[p.hotspot] + " (z " + p.z + ")");
        if (p.bays) lines.push("bays: " + p.bays + (p.per_bay ? " · " + p.per_bay + "/bay" : ""));
        if (p.bay_cases) lines.push(text.bay_cases + ": " + p.bay_cases);
        new maplibregl.Popup().setLngLat(e.lngLat).setText(lines.join(" · ")).addTo(map);
      });
    });
    map.on("click", "points", function (e) {
      const p = e.features[0].properties;
      const lines = ["#" + e.features[0].id, p.seen_at, p.violation_type, p.status, p.source];
      new maplibregl.Popup().setLngLat(e.lngLat).setText(lines.filter(Boolean).join(" · ")).addTo(map);
    });
    map.on("zoomend", function () {
      const mode = document.getElementById("f-layer").value;
      if (mode === "gistar" && zoomLevel() !== lastZoom) loadHexagons();
      else if (mode !== "gistar") loadHexagonTiles();
    });
  });
  refresh();
  form.addEventListener("submit", function (e) { e.preventDefault(); refresh(); });
  document.getElementById("f-layer").addEventListener("change", loadHexagons);
  document.getElementById("f-heat").addEventListener("change", loadHeat);
})();
