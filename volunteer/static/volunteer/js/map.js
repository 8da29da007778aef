// Map for the volunteer app: configurable raster basemap with an offline fallback, modugil's own
// layers from the GeoJSON API (bbox-filtered), campaign areas, and the person's position.
(function () {
  "use strict";
  const M = window.Modugil;
  const COLORS = { feature: "#a33d00", place: "#0b5cad", parking: "#1a6e33", quest: "#6b2fa3", me: "#0b5cad" };
  const LAYERS = {
    feature: "/api/mapping/features/",
    place: "/api/mapping/places/",
    parking: "/api/mapping/parking-spots/",
  };
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

  function bboxOf(map) {
    const b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (n) { return n.toFixed(6); }).join(",");
  }

  // Features, places and parking in view; refreshed after the map stops moving.
  M.showOwnLayers = function (map, onSelect) {
    let timer = null;
    async function refresh() {
      if (map.getZoom() < 13) return;
      const bbox = bboxOf(map);
      await Promise.all(Object.entries(LAYERS).map(async function ([kind, url]) {
        try {
          const r = await M.api(url + "?page_size=500&bbox=" + bbox);
          const source = map.getSource("own-" + kind);
          if (source) source.setData(r.data);
        } catch (err) { /* offline: keep what is drawn */ }
      }));
    }
    map.on("load", function () {
      Object.keys(LAYERS).forEach(function (kind) {
        map.addSource("own-" + kind, { type: "geojson", data: EMPTY });
        map.addLayer({ id: "own-" + kind + "-line", type: "line", source: "own-" + kind,
          filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": COLORS[kind], "line-width": 4 } });
        map.addLayer({ id: "own-" + kind, type: "circle", source: "own-" + kind,
          filter: ["==", ["geometry-type"], "Point"],
          paint: { "circle-radius": 6, "circle-color": COLORS[kind], "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
        map.on("click", "own-" + kind, function (e) {
          if (onSelect && e.features.length) onSelect(kind, e.features[0]);
        });
      });
      refresh();
    });
    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    });
  };

  M.showCampaignAreas = function (map, campaignGeometry) {
    map.on("load", async function () {
      let data = EMPTY;
      if (campaignGeometry) {
        data = { type: "FeatureCollection", features: [{ type: "Feature", geometry: campaignGeometry, properties: {} }] };
      } else {
        try { data = (await M.api("/api/community/campaigns/?page_size=100")).data; } catch (err) { data = EMPTY; }
      }
      map.addSource("campaigns", { type: "geojson", data: data });
      const below = map.getLayer("own-feature-line") ? "own-feature-line" : undefined;
      map.addLayer({ id: "campaigns-fill", type: "fill", source: "campaigns", paint: { "fill-color": "#f0a500", "fill-opacity": 0.08 } }, below);
      map.addLayer({ id: "campaigns-line", type: "line", source: "campaigns", paint: { "line-color": "#8a5a00", "line-width": 2, "line-dasharray": [2, 1] } });
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
