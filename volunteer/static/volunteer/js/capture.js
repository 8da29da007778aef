// Add and edit: type chooser, GPS position with an adjustable pin, a form per type with units,
// photos resized on the phone, notes. Everything goes through the offline queue.
(function () {
  "use strict";
  const M = window.Modugil;
  const form = document.getElementById("capture-form");
  if (!form) return;
  const API = { feature: "/api/mapping/features/", place: "/api/mapping/places/", parking: "/api/mapping/parking-spots/" };
  const editing = form.dataset.target ? JSON.parse(form.dataset.target) : null;
  let original = null; // the GeoJSON feature being edited, as last read from the server
  let photos = []; // {blob, url}
  let pin = null;
  let position = null; // [lon, lat]
  let moved = false;

  // --- type chooser -------------------------------------------------------------------------
  function activeFieldset() { return form.querySelector("fieldset.details:not([hidden])"); }

  function choose(key) {
    form.querySelectorAll("fieldset.details").forEach(function (fs) {
      const on = fs.dataset.form === key;
      fs.hidden = !on;
      fs.disabled = !on;
    });
  }
  form.querySelectorAll("input[name=form-type]").forEach(function (radio) {
    radio.addEventListener("change", function () { choose(radio.value); });
  });

  // --- location -------------------------------------------------------------------------------
  const locationText = document.getElementById("location-text");
  function setPosition(lonlat, how) {
    position = lonlat;
    if (pin) pin.setLngLat(lonlat);
    const accuracy = how === "gps" && M.position ? M.t("accuracy", { n: Math.round(M.position.accuracy_m) }) : "";
    locationText.textContent = M.t("pin_at", { lat: lonlat[1].toFixed(6), lon: lonlat[0].toFixed(6) }) + " " + accuracy;
  }

  const mapEl = document.getElementById("pick-map");
  const map = mapEl ? M.createMap(mapEl, { zoom: 18 }) : null;
  if (map) {
    M.showOwnLayers(map);
    M.showPosition(map, false);
    pin = new maplibregl.Marker({ draggable: true, color: "#6b2fa3" }).setLngLat(M.mapCenter).addTo(map);
    pin.getElement().setAttribute("aria-label", M.t("pin_label"));
    pin.on("dragend", function () {
      const p = pin.getLngLat();
      moved = true;
      setPosition([p.lng, p.lat], "pin");
    });
  }
  document.getElementById("use-gps").addEventListener("click", function () {
    if (!M.position) { M.announce(M.t("no_gps"), "warn"); return; }
    moved = true;
    setPosition([M.position.lon, M.position.lat], "gps");
    if (map) map.jumpTo({ center: position });
  });
  document.getElementById("pin-to-centre").addEventListener("click", function () {
    if (!map) return;
    const c = map.getCenter();
    moved = true;
    setPosition([c.lng, c.lat], "pin");
  });
  document.addEventListener("modugil:position", function (e) {
    if (moved || editing) return;
    setPosition([e.detail.lon, e.detail.lat], "gps");
    if (map) map.jumpTo({ center: position });
  });
  M.watchPosition();

  // --- reading and writing field values -------------------------------------------------------
  function inputsOf(fieldset, prefix) {
    const names = new Set();
    fieldset.querySelectorAll("[name^='" + prefix + "']").forEach(function (el) { names.add(el.name); });
    return Array.from(names);
  }

  function readField(fieldset, name) {
    const els = fieldset.querySelectorAll("[name='" + name + "']");
    const first = els[0];
    let raw;
    if (first.type === "radio") {
      const checked = Array.from(els).find(function (el) { return el.checked; });
      raw = checked ? checked.value : "";
    } else {
      raw = first.value;
    }
    const kind = first.dataset.kind;
    if (raw === "") return kind === "text" || kind === "textarea" || kind === "choice" ? "" : null;
    if (kind === "number") return Number(raw);
    if (kind === "bool") return raw === "true";
    if (kind === "date") return new Date(raw + "T23:59:00").toISOString();
    return raw;
  }

  function writeField(fieldset, name, value) {
    fieldset.querySelectorAll("[name='" + name + "']").forEach(function (el) {
      const text = value === null || value === undefined ? "" : String(value);
      if (el.type === "radio") el.checked = el.value === text;
      else if (el.dataset.kind === "date") el.value = text ? text.slice(0, 10) : "";
      else el.value = text;
    });
  }

  function values(fieldset, prefix) {
    const out = {};
    inputsOf(fieldset, prefix).forEach(function (name) { out[name.slice(prefix.length)] = readField(fieldset, name); });
    return out;
  }

  function labelsOf(fieldset) {
    const labels = {};
    fieldset.querySelectorAll("[data-label]").forEach(function (el) { labels[el.name.slice(2)] = el.dataset.label; });
    return labels;
  }

  // Choice labels as shown on the form, so a conflict reads "Raised", not "raised".
  function choicesOf(fieldset) {
    const choices = {};
    fieldset.querySelectorAll("input[type=radio][data-kind=choice], select[data-kind=choice] option").forEach(function (el) {
      const input = el.tagName === "OPTION" ? el.parentElement : el;
      const name = input.name.slice(2);
      choices[name] = choices[name] || {};
      choices[name][el.value] = (el.tagName === "OPTION" ? el.textContent : el.parentElement.textContent).trim();
    });
    return choices;
  }

  function known(obj) {
    const out = {};
    Object.keys(obj).forEach(function (k) { if (obj[k] !== null && obj[k] !== "") out[k] = obj[k]; });
    return out;
  }

  function changed(now, before) {
    const out = {};
    Object.keys(now).forEach(function (k) {
      const was = before[k] === undefined ? null : before[k];
      if (JSON.stringify(now[k]) !== JSON.stringify(was)) out[k] = now[k];
    });
    return out;
  }

  function mainEntranceIndex(entrances) {
    const i = entrances.findIndex(function (e) { return e.is_main; });
    return i >= 0 ? i : 0;
  }

  // The request body: everything known when adding, only what changed when editing.
  function buildBody(fieldset) {
    const model = fieldset.dataset.model;
    const fields = values(fieldset, "f.");
    const note = document.getElementById("note").value;
    if (!editing) {
      const body = known(fields);
      if (model === "feature") body.feature_type = fieldset.dataset.form;
      if (model === "place") body.entrances = [Object.assign({ is_main: true }, known(values(fieldset, "e.")))];
      body.geom = { type: "Point", coordinates: position };
      body.observed_at = new Date().toISOString();
      if (note) body.note = note;
      return body;
    }
    const props = original.properties;
    const body = changed(fields, props);
    if (model === "place") {
      const entrances = (props.entrances || []).map(function (e) { const c = Object.assign({}, e); delete c.id; return c; });
      const index = mainEntranceIndex(entrances);
      const before = entrances[index] || { is_main: true };
      const entranceChanges = changed(values(fieldset, "e."), before);
      if (Object.keys(entranceChanges).length) {
        if (!entrances.length) entrances.push({ is_main: true });
        entrances[index] = Object.assign({}, before, entranceChanges);
        body.entrances = entrances;
      }
    }
    if (moved) body.geom = { type: "Point", coordinates: position };
    if (note !== (props.note || "")) body.note = note;
    return body;
  }

  // --- photos: resized (and so stripped of EXIF) on the phone before they are stored or sent ----
  async function resize(file) {
    let source;
    try {
      source = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (err) {
      source = await new Promise(function (resolve, reject) {
        const img = new Image();
        img.onload = function () { resolve(img); };
        img.onerror = reject;
        img.src = URL.createObjectURL(file);
      });
    }
    const scale = Math.min(1, M.photoMaxSidePx / Math.max(source.width, source.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(source.width * scale);
    canvas.height = Math.round(source.height * scale);
    canvas.getContext("2d").drawImage(source, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
  }

  const photoInput = document.getElementById("photo-input");
  const previews = document.getElementById("photo-previews");
  function renderPhotos() {
    previews.textContent = "";
    photos.forEach(function (photo, i) {
      previews.appendChild(M.el("li", {}, [
        M.el("img", { src: photo.url, alt: M.t("photo_n", { n: i + 1 }) }),
        M.el("button", { type: "button", class: "secondary small", text: M.t("remove_photo", { n: i + 1 }),
          onclick: function () { photos.splice(i, 1); renderPhotos(); } }),
      ]));
    });
  }
  photoInput.addEventListener("change", async function () {
    const files = Array.from(photoInput.files || []);
    M.announce(M.t("preparing_photos"), "info");
    for (const file of files) {
      const blob = await resize(file);
      if (blob) photos.push({ blob: blob, url: URL.createObjectURL(blob) });
    }
    photoInput.value = "";
    renderPhotos();
    form.dataset.photos = String(photos.length);
    M.announce(M.t("photos_ready", { n: photos.length }), "ok");
  });

  // --- errors next to their fields -------------------------------------------------------------
  function clearErrors() {
    form.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.setAttribute("aria-describedby", (el.getAttribute("aria-describedby") || "").replace(/\s*\S+-error/g, "").trim());
    });
  }

  function showErrors(fieldset, errors) {
    let first = null;
    Object.entries(errors || {}).forEach(function ([field, messages]) {
      const el = fieldset.querySelector("[name='f." + field + "'], [name='e." + field + "']") ||
        (field === "note" ? document.getElementById("note") : null);
      if (!el) return;
      const id = el.id + "-error";
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", ((el.getAttribute("aria-describedby") || "") + " " + id).trim());
      el.closest(".field").appendChild(M.el("p", { class: "field-error", id: id, text: [].concat(messages).join(" ") }));
      first = first || el;
    });
    if (first) first.focus();
  }

  // --- saving ----------------------------------------------------------------------------------
  const resultBox = document.getElementById("capture-result");
  function showResult(text, kind, link, linkText) {
    resultBox.textContent = "";
    resultBox.className = "result " + kind;
    resultBox.appendChild(M.el("p", { text: text }));
    if (link) resultBox.appendChild(M.el("p", {}, [M.el("a", { href: link, text: linkText || M.t("view_contribution") })]));
    resultBox.focus();
  }

  function resetAfterAdd(fieldset) {
    fieldset.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.type === "radio") el.checked = el.value === "";
      else el.value = "";
    });
    document.getElementById("note").value = "";
    photos = [];
    renderPhotos();
    form.dataset.photos = "0";
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    clearErrors();
    resultBox.textContent = "";
    resultBox.className = "result";
    const fieldset = activeFieldset();
    if (!form.reportValidity()) return;
    if (!position) { M.announce(M.t("need_location"), "warn"); document.getElementById("use-gps").focus(); return; }
    const body = buildBody(fieldset);
    const title = fieldset.querySelector("legend").textContent.trim();
    const ops = [];
    let clientId = null;
    if (!editing) {
      clientId = M.uuid();
      ops.push({ kind: "create", url: API[fieldset.dataset.model], client_id: clientId, body: body, label: title });
    } else if (Object.keys(body).length) {
      ops.push({ kind: "patch", url: editing.url, version: original.properties.version, body: body, label: title,
        labels: labelsOf(fieldset), choices: choicesOf(fieldset) });
    }
    photos.forEach(function (photo, i) {
      ops.push({ kind: "photo", url: editing ? editing.url : null, ref: clientId, client_id: M.uuid(), blob: photo.blob,
        filename: "photo-" + (i + 1) + ".jpg", label: title + " · " + M.t("photo_n", { n: i + 1 }) });
    });
    if (!ops.length) { showResult(M.t("nothing_changed"), "info"); return; }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const results = await M.submitAll(ops);
    button.disabled = false;
    const main = results[0];
    if (main.state === "failed") {
      showResult(M.t("not_saved"), "error");
      showErrors(fieldset, main.data && main.data.errors);
    } else if (main.state === "conflict") {
      showResult(M.t("conflict_short"), "warn");
      M.showConflict(main.id);
    } else if (results.some(function (r) { return r.state === "queued"; })) {
      showResult(M.t("saved_offline"), "warn", "/app/outbox/", M.t("see_outbox"));
      if (!editing) resetAfterAdd(fieldset);
    } else {
      const created = main.data && main.data.id && !editing ? "/app/edit/" + fieldset.dataset.model + "/" + main.data.id + "/" : null;
      showResult(M.t("saved_thanks"), "ok", created);
      if (!editing) resetAfterAdd(fieldset);
      else await loadOriginal();
    }
  });

  // --- editing: read the current version from the server and fill the form ----------------------
  async function loadOriginal() {
    try {
      original = (await M.api(editing.url)).data;
    } catch (err) {
      showResult(err.offline ? M.t("edit_needs_connection") : M.errorText(err), "error");
      return;
    }
    const fieldset = activeFieldset();
    const props = original.properties;
    inputsOf(fieldset, "f.").forEach(function (name) { writeField(fieldset, name, props[name.slice(2)]); });
    const entrances = props.entrances || [];
    const main = entrances[mainEntranceIndex(entrances)] || {};
    inputsOf(fieldset, "e.").forEach(function (name) { writeField(fieldset, name, main[name.slice(2)]); });
    document.getElementById("note").value = props.note || "";
    const c = original.geometry.type === "Point" ? original.geometry.coordinates : M.firstCoordinate(original.geometry);
    setPosition(c, "pin");
    if (map) map.jumpTo({ center: c });
    form.dataset.version = String(props.version);
  }

  const initial = form.querySelector("input[name=form-type]:checked");
  choose(initial ? initial.value : form.dataset.chosen);
  if (editing) loadOriginal();
  else locationText.textContent = M.t("waiting_gps");
})();
