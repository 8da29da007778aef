// Overview map: modugil's vector tiles (/tiles/style.json), places coloured for the chosen profile.
(function () {
  "use strict";
  const el = document.getElementById("map");
  if (!el || !window.maplibregl) return;
  const select = document.getElementById("profile-select");
  const styleUrl = function () {
    return el.dataset.style + (select ? "?profile=" + encodeURIComponent(select.value) : "");
  };
  const map = new maplibregl.Map({
    container: el,
    style: styleUrl(),
    attributionControl: { compact: false },
  });
  map.addControl(new maplibregl.NavigationControl());
  if (select) {
    select.addEventListener("change", function () { map.setStyle(styleUrl()); });
  }
  // One checkbox per layer of the style (its metadata says which are shown at first); choices
  // survive a change of profile, which loads a new style.
  const toggles = document.getElementById("layer-toggles");
  const chosen = {};
  let listed = "";
  function buildToggles(layers) {
    toggles.querySelectorAll(".choice").forEach(function (node) { node.remove(); });
    layers.forEach(function (layer) {
      const span = document.createElement("span");
      span.className = "choice";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = "layer-" + layer.name;
      box.checked = chosen[layer.name];
      box.addEventListener("change", function () { chosen[layer.name] = box.checked; sync(); });
      const label = document.createElement("label");
      label.htmlFor = box.id;
      label.textContent = layer.title;
      span.appendChild(box);
      span.appendChild(label);
      toggles.appendChild(span);
    });
  }
  function sync() {
    const style = map.getStyle();
    if (!style) return;
    const layers = (style.metadata || {})["modugil:layers"] || [];
    layers.forEach(function (layer) { if (!(layer.name in chosen)) chosen[layer.name] = layer.visible; });
    const names = layers.map(function (layer) { return layer.name; }).join(",");
    if (toggles && names !== listed) { listed = names; buildToggles(layers); }
    style.layers.forEach(function (layer) {
      if (!(layer.source in chosen)) return;
      const want = chosen[layer.source] ? "visible" : "none";
      // Only on a change: setting a property fires styledata again.
      if ((map.getLayoutProperty(layer.id, "visibility") || "visible") !== want) {
        map.setLayoutProperty(layer.id, "visibility", want);
      }
    });
  }
  map.on("styledata", sync);
  const TITLE_KEYS = ["name", "lot_name", "feature_type"];
  const HIDDEN = new Set(TITLE_KEYS);

  function ownFeatures(point) {
    return map.queryRenderedFeatures(point).filter(function (f) {
      return f.layer.type !== "background" && f.layer.type !== "raster";
    });
  }

  function popupContent(feature) {
    const props = feature.properties;
    const box = document.createElement("div");
    const title = document.createElement("strong");
    const key = TITLE_KEYS.find(function (k) { return props[k] !== undefined; });
    title.textContent = key ? props[key] : feature.sourceLayer;
    box.appendChild(title);
    const list = document.createElement("dl");
    Object.keys(props).forEach(function (name) {
      if (HIDDEN.has(name)) return;
      const dt = document.createElement("dt");
      const dd = document.createElement("dd");
      dt.textContent = name;
      dd.textContent = String(props[name]);
      list.appendChild(dt);
      list.appendChild(dd);
    });
    box.appendChild(list);
    return box;
  }

  map.on("click", function (e) {
    const hits = ownFeatures(e.point);
    if (!hits.length) return;
    new maplibregl.Popup({ maxWidth: "320px" })
      .setLngLat(e.lngLat)
      .setDOMContent(popupContent(hits[0]))
      .addTo(map);
  });
  map.on("mousemove", function (e) {
    map.getCanvas().style.cursor = ownFeatures(e.point).length ? "pointer" : "";
  });
  el.dataset.ready = "loading";
  map.on("idle", function () { el.dataset.ready = "idle"; });
})();
