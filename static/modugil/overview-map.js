// Overview map: modugil's own layers from the GeoJSON API; a raster basemap only when configured.
(function () {
  "use strict";
  const el = document.getElementById("map");
  if (!el || !window.maplibregl) return;
  const basemap = el.dataset.basemap;
  const sources = {};
  const layers = [{ id: "bg", type: "background", paint: { "background-color": "#eef1f4" } }];
  if (basemap) {
    sources.basemap = { type: "raster", tiles: [basemap], tileSize: 256, attribution: el.dataset.attribution };
    layers.push({ id: "basemap", type: "raster", source: "basemap" });
  }
  const map = new maplibregl.Map({
    container: el,
    style: { version: 8, sources: sources, layers: layers },
    center: [126.93, 37.53],
    zoom: 13,
    attributionControl: { customAttribution: el.dataset.attribution },
  });
  map.addControl(new maplibregl.NavigationControl());
  const api = {
    places: ["/api/mapping/places/?page_size=1000", "#0b5cad"],
    features: ["/api/mapping/features/?page_size=1000", "#b34700"],
    parking: ["/api/mapping/parking-spots/?page_size=1000", "#1a7f37"],
  };
  map.on("load", function () {
    Object.entries(api).forEach(function ([name, [url, color]]) {
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          map.addSource(name, { type: "geojson", data: { type: "FeatureCollection", features: data.features || [] } });
          map.addLayer({ id: name, type: "circle", source: name,
            filter: ["==", ["geometry-type"], "Point"],
            paint: { "circle-radius": 5, "circle-color": color, "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
          map.addLayer({ id: name + "-lines", type: "line", source: name,
            filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": color, "line-width": 3 } });
        });
    });
  });
})();
