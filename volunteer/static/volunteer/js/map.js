// Map for the volunteer app: configurable raster basemap with an offline fallback, modugil's own
// layers and campaign areas from its vector tiles (kept by the service worker for offline use),
// and the person's position.
(function () {
  "use strict";
  const M = window.Modugil;
  const COLORS = { feature: "#a33d00", place: "#0b5cad", parking: "#1a6e33", quest: "#6b2fa3", me: "#0b5cad" };
  const LAYERS = { feature: "features", place: "places", parking: "parking" };  // vector tile layers
  const MIN_ZOOM = { feature: 12, place: 12, parking: 10 };
  const EMPTY = { type: "FeatureCollection", features: [] };

  function style() {
    const sources = {};
    const layers = [{ id: "bg", type: "background", paint: { "background-color": "#eef1f4" } }];
    if (M.basemapUrl) {
      sources.basemap = { type: "raster", tiles: [M.basemapUrl], tileSize: 256, attribution: M.attribution };
      layers.push({ id: "basemap", type: "raster", source: "basemap" });
    }
    return { version: 8, sources: sources, layers: layers };
  }

  // Returns null (and shows a note) when the device cannot draw maps: the lists still work.
  M.createMap = function (container, options) {
    const opts = options || {};
    if (!window.maplibregl) return unavailable(container);
    let map;
    try {
      map = new maplibregl.Map({
        container: container,
        style: style(),
        center: opts.center || M.mapCenter,
        zoom: opts.zoom || 16,
        attributionControl: { compact: true, customAttribution: M.attribution },
      });
    } catch (err) {
      return unavailable(container);
    }
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    map.once("load", function () { container.dataset.ready = "true"; });
    return map;
  };

  function unavailable(container) {
    container.classList.add("map-unavailable");
    container.textContent = M.t("map_unavailable");
    return null;
  }

  function circlePolygon(lon, lat, radiusM) {
    const points = [];
    const dLat = radiusM / 111320;
    const dLon = radiusM / (111320 * Math.cos((lat * Math.PI) / 180));
    for (let i = 0; i <= 48; i += 1) {
      const a = (i / 48) * 2 * Math.PI;
      points.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
    }
    return { type: "Feature", geometry: { type: "Polygon", coordinates: [points] }, properties: {} };
  }

  // The blue dot with its accuracy circle, following the shared position watch.
  M.showPosition = function (map, follow) {
    let first = true;
    function update(pos) {
      const data = {
        type: "FeatureCollection",
        features: [
          circlePolygon(pos.lon, pos.lat, Math.max(pos.accuracy_m || 0, 3)),
          { type: "Feature", geometry: { type: "Point", coordinates: [pos.lon, pos.lat] }, properties: {} },
        ],
      };
      if (!map.getSource("me")) return;
      map.getSource("me").setData(data);
      if (follow && first) map.jumpTo({ center: [pos.lon, pos.lat] });
      first = false;
    }
    map.on("load", function () {
      map.addSource("me", { type: "geojson", data: EMPTY });
      map.addLayer({ id: "me-accuracy", type: "fill", source: "me", filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": COLORS.me, "fill-opacity": 0.12 } });
      map.addLayer({ id: "me-dot", type: "circle", source: "me", filter: ["==", ["geometry-type"], "Point"],
        paint: { "circle-radius": 7, "circle-color": COLORS.me, "circle-stroke-color": "#fff", "circle-stroke-width": 3 } });
      if (M.position) update(M.position);
    });
    document.addEventListener("modugil:position", function (e) { update(e.detail); });
    M.watchPosition();
  };

  // Features, places and parking as modugil's vector tiles (an edit shows on the next tile). The
  // service worker keeps the tiles seen before, so the map still draws them offline.
  M.showOwnLayers = function (map, onSelect) {
    map.on("load", function () {
      Object.entries(LAYERS).forEach(function ([kind, layer]) {
        map.addSource("own-" + kind, { type: "vector", tiles: [tileUrl(layer)], minzoom: MIN_ZOOM[kind], maxzoom: 18 });
        map.addLayer({ id: "own-" + kind + "-line", type: "line", source: "own-" + kind, "source-layer": layer,
          filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": COLORS[kind], "line-width": 4 } });
        map.addLayer({ id: "own-" + kind, type: "circle", source: "own-" + kind, "source-layer": layer,
          filter: ["==", ["geometry-type"], "Point"],
          paint: { "circle-radius": 6, "circle-color": COLORS[kind], "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
        map.on("click", "own-" + kind, function (e) {
          if (onSelect && e.features.length) onSelect(kind, e.features[0]);
        });
      });
    });
  };

  function tileUrl(layer) {
    return window.location.origin + "/tiles/" + layer + "/{z}/{x}/{y}.pbf";
  }

  M.showCampaignAreas = function (map, campaignGeometry) {
    map.on("load", function () {
      const below = map.getLayer("own-feature-line") ? "own-feature-line" : undefined;
      let source = { type: "vector", tiles: [tileUrl("campaigns")], minzoom: 8, maxzoom: 18 };
      let sourceLayer = "campaigns";
      if (campaignGeometry) {  // one campaign's own area, as the page already has it
        source = { type: "geojson", data: { type: "FeatureCollection", features: [{ type: "Feature", geometry: campaignGeometry, properties: {} }] } };
        sourceLayer = undefined;
      }
      map.addSource("campaigns", source);
      const fill = { id: "campaigns-fill", type: "fill", source: "campaigns", paint: { "fill-color": "#f0a500", "fill-opacity": 0.08 } };
      const line = { id: "campaigns-line", type: "line", source: "campaigns", paint: { "line-color": "#8a5a00", "line-width": 2, "line-dasharray": [2, 1] } };
      if (sourceLayer) { fill["source-layer"] = sourceLayer; line["source-layer"] = sourceLayer; }
      map.addLayer(fill, below);
      map.addLayer(line);
    });
  };

  M.fitGeometry = function (map, geometry) {
    const coords = [];
    (function walk(c) { if (typeof c[0] === "number") coords.push(c); else c.forEach(walk); })(geometry.coordinates);
    const lons = coords.map(function (c) { return c[0]; });
    const lats = coords.map(function (c) { return c[1]; });
    map.fitBounds([[Math.min.apply(null, lons), Math.min.apply(null, lats)], [Math.max.apply(null, lons), Math.max.apply(null, lats)]],
      { padding: 24, duration: 0 });
  };

  M.showQuests = function (map, onSelect) {
    map.on("load", function () {
      map.addSource("quests", { type: "geojson", data: EMPTY });
      map.addLayer({ id: "quests", type: "circle", source: "quests",
        paint: { "circle-radius": 9, "circle-color": COLORS.quest, "circle-stroke-color": "#fff", "circle-stroke-width": 3 } });
      map.on("click", "quests", function (e) { if (e.features.length) onSelect(e.features[0].properties.key); });
    });
    return function setQuests(quests) {
      const source = map.getSource("quests");
      if (!source) return;
      source.setData({ type: "FeatureCollection", features: quests.map(function (q) {
        const geometry = q.target.geometry.type === "Point" ? q.target.geometry
          : { type: "Point", coordinates: firstCoordinate(q.target.geometry) };
        return { type: "Feature", geometry: geometry, properties: { key: q.key } };
      }) });
    };
  };

  function firstCoordinate(geometry) {
    let c = geometry.coordinates;
    while (typeof c[0] !== "number") c = c[0];
    return c;
  }
  M.firstCoordinate = firstCoordinate;
})();
