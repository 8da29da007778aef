// Quests near me: one small question per card, answered with one tap where possible.
(function () {
  "use strict";
  const M = window.Modugil;
  const root = document.getElementById("quests");
  if (!root) return;
  const list = document.getElementById("quest-list");
  const info = document.getElementById("quest-info");
  const campaign = root.dataset.campaign || "";
  const skipped = new Set(JSON.parse(sessionStorage.getItem("modugil-skipped") || "[]"));
  let quests = [];
  let origin = null;
  let setMarkers = function () {};

  const mapEl = document.getElementById("quest-map");
  const map = mapEl ? M.createMap(mapEl, { zoom: 16 }) : null;
  if (map) {
    M.showOwnLayers(map, function (kind, feature) {
      window.location.href = "/app/edit/" + kind + "/" + feature.id + "/";
    });
    M.showCampaignAreas(map, root.dataset.campaignArea ? JSON.parse(root.dataset.campaignArea) : null);
    setMarkers = M.showQuests(map, function (key) { focusQuest(key); });
    M.showPosition(map, !campaign);
    if (root.dataset.campaignArea) map.once("load", function () { M.fitGeometry(map, JSON.parse(root.dataset.campaignArea)); });
  }

  function focusQuest(key) {
    const card = document.getElementById("quest-" + cssId(key));
    if (card) { card.scrollIntoView({ block: "center" }); card.focus(); }
  }

  function cssId(key) { return key.replace(/[^a-zA-Z0-9_-]/g, "-"); }

  async function load(center) {
    origin = center;
    info.textContent = M.t("loading_quests");
    let url = "/api/volunteer/quests/?limit=40&near=" + center[0].toFixed(6) + "," + center[1].toFixed(6);
    if (campaign) url += "&campaign=" + encodeURIComponent(campaign);
    try {
      quests = (await M.api(url)).data.results.filter(function (q) { return !skipped.has(q.key); });
    } catch (err) {
      info.textContent = err.offline ? M.t("quests_offline") : M.errorText(err);
      return;
    }
    render();
  }

  function render() {
    list.textContent = "";
    info.textContent = quests.length ? M.t("quests_found", { n: quests.length }) : M.t("no_quests");
    quests.forEach(function (quest) { list.appendChild(M.el("li", {}, card(quest))); });
    setMarkers(quests);
  }

  function card(quest) {
    const titleId = "quest-title-" + cssId(quest.key);
    const article = M.el("article", { class: "card quest", id: "quest-" + cssId(quest.key), tabindex: "-1", "aria-labelledby": titleId }, [
      M.el("p", { class: "card-kicker" }, [
        M.el("span", { text: quest.kind_label }),
        quest.distance_m !== null ? M.el("span", { class: "distance", text: M.distanceText(quest.distance_m) }) : null,
      ]),
      M.el("h2", { id: titleId, class: "card-title", text: quest.question }),
      M.el("p", { class: "card-target" }, [M.el("a", { href: quest.target.page, text: quest.target.title })]),
      quest.context ? M.el("p", { class: "card-context", text: quest.context }) : null,
      quest.kind === "resurvey" ? M.valuesList(quest.target.values) : null,
      answerButtons(quest),
      quest.number ? numberForm(quest) : null,
      M.el("p", { class: "card-result", role: "status" }),
      M.el("button", { type: "button", class: "link-button skip", text: M.t("skip"), onclick: function () { skip(quest); } }),
    ]);
    return article;
  }

  function answerButtons(quest) {
    const group = M.el("div", { class: "answers", role: "group", "aria-label": M.t("answers") });
    quest.answers.forEach(function (answer) {
      group.appendChild(M.el("button", {
        type: "button",
        class: "answer",
        onclick: function () { send(quest, answer); },
      }, [M.el("span", { text: answer.label }), answer.hint ? M.el("small", { text: answer.hint }) : null]));
    });
    return group;
  }

  function numberForm(quest) {
    const n = quest.number;
    const id = "quest-number-" + cssId(quest.key);
    const input = M.el("input", {
      id: id, type: "number", inputmode: n.step === "1" ? "numeric" : "decimal",
      min: n.min, max: n.max, step: n.step, required: true, "aria-describedby": id + "-unit",
    });
    const form = M.el("form", { class: "number-answer" }, [
      M.el("label", { for: id, text: M.t("other_value", { label: n.label }) }),
      M.el("span", { class: "with-unit" }, [input, M.el("span", { class: "unit", id: id + "-unit", text: n.unit })]),
      M.el("button", { type: "submit", class: "secondary", text: M.t("save") }),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      send(quest, { label: input.value + " " + n.unit, patch: M.fillTemplate(n.patch, Number(input.value)) });
    });
    return form;
  }

  function skip(quest) {
    skipped.add(quest.key);
    sessionStorage.setItem("modugil-skipped", JSON.stringify(Array.from(skipped)));
    removeQuest(quest, M.t("skipped"));
  }

  function removeQuest(quest, message) {
    const index = quests.indexOf(quest);
    quests = quests.filter(function (q) { return q !== quest; });
    const cardEl = document.getElementById("quest-" + cssId(quest.key));
    M.announce(message, "ok");
    if (cardEl) cardEl.closest("li").remove();
    setMarkers(quests);
    info.textContent = quests.length ? M.t("quests_found", { n: quests.length }) : M.t("no_quests");
    const next = quests[Math.min(index, quests.length - 1)];
    if (next) focusQuest(next.key);
  }

  function resultText(quest, text, kind) {
    const el = document.querySelector("#quest-" + cssId(quest.key) + " .card-result");
    if (el) { el.textContent = text; el.className = "card-result " + (kind || ""); }
  }

  // Other quests about the same object must be answered on top of the new version.
  function bumpVersion(quest, version) {
    quests.forEach(function (q) {
      if (q.target.url === quest.target.url) q.target.version = version;
    });
  }

  async function send(quest, answer) {
    if (!M.userId) {
      window.location.href = M.loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
      return;
    }
    if (answer.edit) { window.location.href = quest.target.page; return; }
    const label = quest.target.title + ": " + answer.label;
    const labels = {};
    const choices = {};
    Object.entries(quest.fields || {}).forEach(function ([name, field]) {
      labels[name] = field.label;
      choices[name] = field.choices;
    });
    const op = answer.vote
      ? { kind: "vote", url: quest.target.url + "votes/", body: { value: answer.vote, comment: answer.comment || "" }, label: label }
      : { kind: "patch", url: quest.target.url, version: quest.target.version, body: answer.patch, label: label, labels: labels, choices: choices };
    const result = await M.submit(op);
    if (result.state === "done") {
      if (result.data && result.data.properties) bumpVersion(quest, result.data.properties.version);
      removeQuest(quest, M.t("answer_saved", { answer: answer.label }));
    } else if (result.state === "queued") {
      removeQuest(quest, M.t("answer_queued", { answer: answer.label }));
    } else if (result.state === "conflict") {
      resultText(quest, M.t("conflict_short"), "warn");
      M.showConflict(result.id);
    } else {
      resultText(quest, M.errorText(new M.ApiError(400, result.data)), "error");
    }
  }

  document.getElementById("quests-here").addEventListener("click", function () {
    if (map) { const c = map.getCenter(); load([c.lng, c.lat]); } else if (M.position) load([M.position.lon, M.position.lat]);
  });
  document.addEventListener("modugil:queue-resolved", function () { if (origin) load(origin); });

  // First load: where the person is (GPS), else the campaign or the default centre after a moment.
  let started = false;
  function start(center) { if (!started) { started = true; load(center); } }
  document.addEventListener("modugil:position", function (e) { if (!campaign) start([e.detail.lon, e.detail.lat]); });
  M.watchPosition();
  window.setTimeout(function () {
    const c = map ? map.getCenter() : { lng: M.mapCenter[0], lat: M.mapCenter[1] };
    start(M.position ? [M.position.lon, M.position.lat] : [c.lng, c.lat]);
  }, campaign ? 0 : 2500);
})();
