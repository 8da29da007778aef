// Teams and campaigns: join a team, live campaign progress, a leader starting a campaign.
(function () {
  "use strict";
  const M = window.Modugil;

  // --- join a team ----------------------------------------------------------------------------
  document.querySelectorAll("button[data-join-team]").forEach(function (button) {
    button.addEventListener("click", async function () {
      if (!M.userId) { window.location.href = M.loginUrl + "?next=" + encodeURIComponent(window.location.pathname); return; }
      button.disabled = true;
      try {
        await M.api("/api/community/teams/" + button.dataset.joinTeam + "/join/", { method: "POST" });
        button.textContent = M.t("joined");
        M.announce(M.t("joined_team", { name: button.dataset.teamName }), "ok");
      } catch (err) {
        button.disabled = false;
        M.announce(M.errorText(err), "error");
      }
    });
  });

  // --- a campaign's live progress ---------------------------------------------------------------
  const campaign = document.getElementById("campaign");
  if (campaign) {
    const area = JSON.parse(campaign.dataset.area);
    const mapEl = document.getElementById("campaign-map");
    const map = mapEl ? M.createMap(mapEl, { zoom: 14 }) : null;
    if (map) {
      M.showOwnLayers(map);
      M.showCampaignAreas(map, area);
      M.showPosition(map, false);
      map.once("load", function () { M.fitGeometry(map, area); });
    }
    const bar = document.getElementById("progress-bar");
    const text = document.getElementById("progress-text");
    const byType = document.getElementById("progress-by-type");
    let lastDone = Number(bar.getAttribute("value"));
    async function poll() {
      if (document.hidden) return;
      try {
        const progress = (await M.api("/api/community/campaigns/" + campaign.dataset.id + "/")).data.properties.progress;
        bar.setAttribute("value", String(Math.min(progress.done, progress.target)));
        bar.setAttribute("max", String(progress.target));
        text.textContent = M.t("progress_text", { done: progress.done, target: progress.target, percent: progress.percent });
        byType.querySelectorAll("[data-type]").forEach(function (el) {
          el.querySelector(".count").textContent = String(progress.by_type[el.dataset.type] || 0);
        });
        if (progress.done !== lastDone) {
          M.announce(M.t("progress_changed", { done: progress.done, target: progress.target }), "ok");
          lastDone = progress.done;
        }
      } catch (err) { /* offline: keep the last known numbers */ }
    }
    window.setInterval(poll, Number(campaign.dataset.pollS || 15) * 1000);
    document.addEventListener("visibilitychange", poll);
    document.addEventListener("modugil:flushed", function (e) { if (e.detail.sent) poll(); });
  }

  // --- a team leader starts a campaign ------------------------------------------------------------
  const form = document.getElementById("campaign-form");
  if (form) {
    const mapEl = document.getElementById("area-map");
    const map = M.createMap(mapEl, { zoom: 15 });
    let area = null;
    const areaText = document.getElementById("area-text");
    function drawArea() {
      const b = map.getBounds();
      const w = b.getWest(), s = b.getSouth(), e = b.getEast(), n = b.getNorth();
      // a margin inside the view, so the drawn outline stays visible
      const dx = (e - w) * 0.1, dy = (n - s) * 0.1;
      area = { type: "Polygon", coordinates: [[[w + dx, s + dy], [e - dx, s + dy], [e - dx, n - dy], [w + dx, n - dy], [w + dx, s + dy]]] };
      const source = map.getSource("new-area");
      if (source) source.setData({ type: "FeatureCollection", features: [{ type: "Feature", geometry: area, properties: {} }] });
      areaText.textContent = M.t("area_set", { w: (w + dx).toFixed(5), s: (s + dy).toFixed(5), e: (e - dx).toFixed(5), n: (n - dy).toFixed(5) });
    }
    if (map) {
      M.showCampaignAreas(map, null);
      M.showPosition(map, true);
      map.once("load", function () {
        map.addSource("new-area", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
        map.addLayer({ id: "new-area-fill", type: "fill", source: "new-area", paint: { "fill-color": "#6b2fa3", "fill-opacity": 0.12 } });
        map.addLayer({ id: "new-area-line", type: "line", source: "new-area", paint: { "line-color": "#6b2fa3", "line-width": 3 } });
        drawArea();
      });
    }
    document.getElementById("use-view").addEventListener("click", function () { if (map) drawArea(); });
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      form.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      if (!form.reportValidity()) return;
      const targets = Array.from(form.querySelectorAll("input[name=target_types]:checked")).map(function (el) { return el.value; });
      const body = {
        team: Number(form.elements.team.value),
        name: form.elements.name.value,
        description: form.elements.description.value,
        target_types: targets,
        target_count: Number(form.elements.target_count.value),
        starts_on: form.elements.starts_on.value,
        ends_on: form.elements.ends_on.value,
        area: area,
      };
      try {
        const r = await M.api("/api/community/campaigns/", { method: "POST", body: body });
        window.location.href = "/app/campaigns/" + r.data.id + "/";
      } catch (err) {
        M.announce(M.errorText(err), "error");
        Object.entries((err.data && err.data.errors) || {}).forEach(function ([field, messages]) {
          const anchor = document.getElementById("field-" + field);
          if (anchor) anchor.appendChild(M.el("p", { class: "field-error", role: "alert", text: [].concat(messages).join(" ") }));
        });
      }
    });
  }
})();
