// Report form: pick the location on the map or from the device, and send each photo's capture
// time (the server prefers EXIF; the file's time is the fallback the evidence rule accepts).
(function () {
  "use strict";
  const lat = document.getElementById("id_lat");
  const lon = document.getElementById("id_lon");
  const el = document.getElementById("picker");
  let marker = null;
  let map = null;
  function place(lngLat) {
    lat.value = lngLat.lat.toFixed(6);
    lon.value = lngLat.lng.toFixed(6);
    if (!map) return;
    if (!marker) marker = new maplibregl.Marker().setLngLat(lngLat).addTo(map);
    else marker.setLngLat(lngLat);
  }
  if (el && window.maplibregl) {
    const sources = {};
    const layers = [{ id: "bg", type: "background", paint: { "background-color": "#eef1f4" } }];
    if (el.dataset.basemap) {
      sources.basemap = { type: "raster", tiles: [el.dataset.basemap], tileSize: 256, attribution: el.dataset.attribution };
      layers.push({ id: "basemap", type: "raster", source: "basemap" });
    }
    const start = lat.value && lon.value ? [parseFloat(lon.value), parseFloat(lat.value)] : [127.1139, 36.8151];
    map = new maplibregl.Map({ container: el, style: { version: 8, sources: sources, layers: layers }, center: start, zoom: 15,
      attributionControl: { customAttribution: el.dataset.attribution } });
    map.on("click", function (e) { place(e.lngLat); });
    fetch("/api/mapping/parking-spots/?page_size=1000", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        map.addSource("bays", { type: "geojson", data: { type: "FeatureCollection", features: data.features || [] } });
        map.addLayer({ id: "bays", type: "circle", source: "bays", paint: { "circle-radius": 6, "circle-color": "#1a7f37" } });
      }).catch(function () {});
  }
  const button = document.getElementById("use-position");
  if (button && navigator.geolocation) {
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        const where = { lat: pos.coords.latitude, lng: pos.coords.longitude };
        place(where);
        if (map) map.flyTo({ center: [where.lng, where.lat], zoom: 17 });
      });
    });
  } else if (button) {
    button.hidden = true;
  }
  const photos = document.getElementById("id_photos");
  const times = document.getElementById("photo-times");
  if (photos && times) {
    photos.addEventListener("change", function () {
      times.textContent = "";
      Array.from(photos.files).forEach(function (file) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = "photo_taken_at";
        input.value = new Date(file.lastModified).toISOString();
        times.appendChild(input);
      });
    });
  }
})();
