// Validate others' contributions: agree / disagree / unsure, or correct a measurement.
// Officials' review screen reuses the cards and adds validate / reject decisions.
(function () {
  "use strict";
  const M = window.Modugil;
  const root = document.getElementById("validate") || document.getElementById("review");
  if (!root) return;
  const reviewing = root.id === "review";
  const list = root.querySelector(".item-list");
  const info = root.querySelector(".list-info");
  const campaign = root.dataset.campaign || "";

  function cssId(item) { return item.model + "-" + item.id; }

  function confidenceText(item) {
    return M.t("status_line", {
      status: item.status_label,
      confidence: Math.round((item.confidence || 0) * 100),
      agree: item.votes.agree, disagree: item.votes.disagree, unsure: item.votes.unsure,
    });
  }

  function photosOf(item) {
    if (!item.photos.length) return null;
    return M.el("div", { class: "photos" }, item.photos.map(function (url, i) {
      return M.el("a", { href: url }, [M.el("img", { src: url, alt: M.t("photo_of", { n: i + 1, title: item.title }), loading: "lazy" })]);
    }));
  }

  function card(item) {
    const titleId = "item-title-" + cssId(item);
    return M.el("article", { class: "card", id: "item-" + cssId(item), tabindex: "-1", "aria-labelledby": titleId }, [
      M.el("p", { class: "card-kicker" }, [
        M.el("span", { text: item.observer_name ? M.t("by_on", { name: item.observer_name, date: M.dateText(item.observed_at) }) : M.t("imported_on", { date: M.dateText(item.observed_at) }) }),
        item.distance_m !== null && item.distance_m !== undefined ? M.el("span", { class: "distance", text: M.distanceText(item.distance_m) }) : null,
      ]),
      M.el("h2", { class: "card-title", id: titleId }, [M.el("a", { href: item.page, text: item.title })]),
      photosOf(item),
      M.valuesList(item.values),
      M.el("p", { class: "confidence", text: confidenceText(item) }),
      reviewing ? votesList(item) : null,
      reviewing ? reviewForm(item) : voteButtons(item),
      reviewing ? null : correctionForm(item),
      M.el("p", { class: "card-result", role: "status" }),
    ]);
  }

  function voteButtons(item) {
    const group = M.el("div", { class: "answers", role: "group", "aria-label": M.t("is_this_right") });
    [["agree", M.t("agree")], ["disagree", M.t("disagree")], ["unsure", M.t("unsure")]].forEach(function ([value, label]) {
      group.appendChild(M.el("button", { type: "button", class: "answer vote-" + value, text: label,
        onclick: function () { vote(item, { value: value }); } }));
    });
    return group;
  }

  function correctionForm(item) {
    if (!item.correctable.length) return null;
    const fields = item.correctable.map(function (spec) {
      const id = "fix-" + cssId(item) + "-" + spec.name;
      return M.el("p", { class: "field" }, [
        M.el("label", { for: id, text: spec.label }),
        M.el("span", { class: "with-unit" }, [
          M.el("input", { id: id, name: spec.name, type: "number", inputmode: "decimal", min: spec.min, max: spec.max, step: spec.step,
            value: spec.current === null ? "" : spec.current, "aria-describedby": id + "-unit" }),
          M.el("span", { class: "unit", id: id + "-unit", text: spec.unit || "" }),
        ]),
      ]);
    });
    const form = M.el("form", { class: "correction" }, fields.concat([
      M.el("button", { type: "submit", class: "secondary", text: M.t("send_correction") }),
    ]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      const corrected = {};
      item.correctable.forEach(function (spec) {
        const raw = form.elements[spec.name].value;
        if (raw !== "" && Number(raw) !== spec.current) corrected[spec.name] = Number(raw);
      });
      if (!Object.keys(corrected).length) { M.announce(M.t("nothing_changed"), "info"); return; }
      vote(item, { value: "disagree", corrected: corrected, comment: M.t("measured_differently") });
    });
    return M.el("details", { class: "correct" }, [M.el("summary", { text: M.t("correct_measurement") }), form]);
  }

  function votesList(item) {
    if (!item.vote_details || !item.vote_details.length) return null;
    return M.el("ul", { class: "votes" }, item.vote_details.map(function (v) {
      const fixed = Object.keys(v.corrected || {}).length ? " · " + M.t("corrected") + " " + JSON.stringify(v.corrected) : "";
      return M.el("li", { text: v.user + (v.official ? " (" + M.t("official") + ")" : "") + ": " + v.value_label + fixed + (v.comment ? " — " + v.comment : "") });
    }));
  }

  function reviewForm(item) {
    const id = "reason-" + cssId(item);
    const form = M.el("form", { class: "review-form" }, [
      M.el("p", { class: "field" }, [
        M.el("label", { for: id, text: M.t("reason") }),
        M.el("textarea", { id: id, name: "reason", rows: "2" }),
      ]),
      M.el("div", { class: "answers" }, [
        M.el("button", { type: "submit", name: "decision", value: "validated", class: "answer", text: M.t("validate_it") }),
        M.el("button", { type: "submit", name: "decision", value: "rejected", class: "answer danger", text: M.t("reject_it") }),
      ]),
    ]);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const decision = event.submitter ? event.submitter.value : "validated";
      try {
        const r = await M.api(item.url + "review/", { method: "POST", body: { decision: decision, reason: form.elements.reason.value } });
        done(item, M.t("reviewed", { status: r.data.properties.status }));
      } catch (err) {
        result(item, M.errorText(err), "error");
      }
    });
    return form;
  }

  function result(item, text, kind) {
    const el = document.querySelector("#item-" + cssId(item) + " .card-result");
    if (el) { el.textContent = text; el.className = "card-result " + (kind || ""); }
  }

  function done(item, text) {
    const cardEl = document.getElementById("item-" + cssId(item));
    result(item, text, "ok");
    M.announce(text, "ok");
    cardEl.classList.add("done");
    cardEl.querySelectorAll("button, input, textarea").forEach(function (el) { el.disabled = true; });
    const next = cardEl.closest("li").nextElementSibling;
    if (next) next.querySelector("article").focus();
  }

  async function vote(item, body) {
    const res = await M.submit({ kind: "vote", url: item.url + "votes/", body: body, label: item.title });
    if (res.state === "queued") { done(item, M.t("vote_queued")); return; }
    if (res.state !== "done") { result(item, M.errorText(new M.ApiError(400, res.data)), "error"); return; }
    try {
      const now = (await M.api(item.url)).data.properties;
      done(item, M.t("vote_saved") + " " + confidenceText({
        status_label: now.status_label || statusLabel(now.status), confidence: now.confidence,
        votes: { agree: now.agree_count, disagree: now.disagree_count, unsure: now.unsure_count },
      }));
    } catch (err) {
      done(item, M.t("vote_saved"));
    }
  }

  function statusLabel(status) { return M.t("status_" + status); }

  async function load() {
    let url;
    if (reviewing) url = "/api/volunteer/review-queue/?limit=50";
    else if (campaign) url = "/api/volunteer/validation/?limit=30&campaign=" + encodeURIComponent(campaign) + (M.position ? "&near=" + M.position.lon + "," + M.position.lat : "");
    else {
      const p = M.position || { lon: M.mapCenter[0], lat: M.mapCenter[1] };
      url = "/api/volunteer/validation/?limit=30&radius_m=2000&near=" + p.lon.toFixed(6) + "," + p.lat.toFixed(6);
    }
    info.textContent = M.t("loading");
    let items;
    try {
      items = (await M.api(url)).data.results;
    } catch (err) {
      info.textContent = err.offline ? M.t("list_offline") : M.errorText(err);
      return;
    }
    info.textContent = items.length ? M.t("items_found", { n: items.length }) : M.t("nothing_to_validate");
    list.textContent = "";
    items.forEach(function (item) { list.appendChild(M.el("li", {}, card(item))); });
  }

  root.querySelector(".reload").addEventListener("click", load);
  if (reviewing || campaign) { load(); return; }
  let started = false;
  function start() { if (!started) { started = true; load(); } }
  document.addEventListener("modugil:position", start);
  M.watchPosition();
  window.setTimeout(start, 2500);
})();
