// Page side of the offline queue: service worker, "waiting to send" badge, sending when the
// connection returns, and the conflict dialog (a stale edit is shown, never applied silently).
(function () {
  "use strict";
  const M = window.Modugil;
  const Q = window.ModugilQueue;
  M.queue = Q;

  function context() { return { csrf: M.csrf(), userId: M.userId }; }

  // The service worker caches the app shell and can send the queue when no page is open.
  M.swReady = null;
  const swUrl = document.body.dataset.swUrl;
  if ("serviceWorker" in navigator && swUrl) {
    M.swReady = navigator.serviceWorker.register(swUrl, { scope: document.body.dataset.swScope || "/app/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .catch(function () { return null; });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "flush") M.flush();
    });
    // the screens a mapper needs offline, this one included
    const screens = [window.location.pathname + window.location.search, "/app/", "/app/outbox/"];
    if (M.userId) screens.push("/app/add/", "/app/validate/", "/app/me/");
    M.swReady.then(function (reg) {
      if (reg && reg.active) reg.active.postMessage({ type: "warm", urls: screens });
    });
  }
  // The worker has no cookies of its own to read: keep what it needs to send for this person.
  Q.setMeta("csrf", M.csrf()).catch(function () {});
  Q.setMeta("user_id", M.userId).catch(function () {});

  function registerBackgroundSync() {
    if (!M.swReady) return;
    M.swReady.then(function (reg) {
      if (reg && reg.sync) reg.sync.register("modugil-sync").catch(function () {});
    });
  }

  async function updateBadge() {
    const counts = await Q.counts();
    const waiting = counts.pending + counts.conflict + counts.failed;
    const link = document.getElementById("outbox-link");
    const count = document.getElementById("outbox-count");
    if (!link || !count) return;
    count.textContent = String(waiting);
    link.hidden = waiting === 0;
    link.setAttribute("aria-label", M.t("outbox_label", { n: waiting }));
    link.classList.toggle("has-conflict", counts.conflict + counts.failed > 0);
  }
  M.updateBadge = updateBadge;

  function showNetState() {
    const el = document.getElementById("net-state");
    if (el) el.hidden = navigator.onLine;
  }

  // A connection that has just come back often fails the first requests: retry soon, then less
  // often (2 s, 4 s ... 60 s) while the phone believes it is online.
  let retryDelayMs = 2000;
  let retryTimer = null;
  function retrySoon() {
    window.clearTimeout(retryTimer);
    if (!navigator.onLine) return;
    retryTimer = window.setTimeout(M.flush, retryDelayMs);
    retryDelayMs = Math.min(retryDelayMs * 2, 60000);
  }

  M.flush = async function () {
    let summary;
    try {
      summary = await Q.flush(context());
    } catch (err) {
      return { sent: 0, failed: 0, conflicts: 0, remaining: 0, results: {} };
    }
    await updateBadge();
    if (summary.sent) M.announce(M.t("sent_n", { n: summary.sent }), "ok");
    if (summary.conflicts) M.announce(M.t("conflicts_n", { n: summary.conflicts }), "warn");
    if (summary.stopped === "auth") M.announce(M.t("login_again"), "warn");
    if (summary.remaining) registerBackgroundSync();
    if (summary.stopped === "offline" || summary.stopped === "retry") retrySoon();
    else retryDelayMs = 2000;
    document.dispatchEvent(new CustomEvent("modugil:flushed", { detail: summary }));
    return summary;
  };

  // Queue writes (in order) and try to send them now. Resolves to one {state, data} per op:
  // state is done, conflict, failed, or queued (kept on this phone until the connection returns).
  M.submitAll = async function (ops) {
    const ids = [];
    for (const op of ops) {
      op.user_id = M.userId;
      ids.push(await Q.add(op));
    }
    if (!navigator.onLine) {
      registerBackgroundSync();
      await updateBadge();
      return ids.map(function (id) { return { state: "queued", id: id }; });
    }
    const summary = await M.flush();
    const results = await Promise.all(ids.map(async function (id) {
      const result = summary.results && summary.results[id];
      if (!result) {
        const still = await Q.get(id);
        if (!still) return { state: "done", id: id };
        return { state: still.status === "pending" ? "queued" : still.status, id: id, data: still.conflict || still.error };
      }
      if (["offline", "retry", "waiting", "auth"].indexOf(result.state) >= 0) {
        return { state: "queued", id: id, reason: result.state };
      }
      return Object.assign({ id: id }, result);
    }));
    // Refused input is shown on the screen the person is looking at; they fix it and save again,
    // so the refused write (and the photos that depended on it) must not linger in the outbox.
    if (results.some(function (r) { return r.state === "failed"; })) {
      for (const r of results) {
        if (r.state !== "done" && r.state !== "conflict") await Q.remove(r.id);
      }
      await updateBadge();
    }
    return results;
  };

  M.submit = async function (op) {
    return (await M.submitAll([op]))[0];
  };

  function valueText(value, choices) {
    if (value === null || value === undefined || value === "") return M.t("unknown");
    if (choices && Object.prototype.hasOwnProperty.call(choices, value)) return choices[value];
    if (value === true) return M.t("yes");
    if (value === false) return M.t("no");
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  // Someone else's newer edit: show theirs and mine side by side; only an explicit choice sends.
  M.showConflict = async function (opId) {
    const op = await Q.get(opId);
    const dialog = document.getElementById("conflict-dialog");
    if (!op || !dialog) return;
    const theirs = (op.conflict && op.conflict.theirs) || {};
    const rows = dialog.querySelector("tbody");
    rows.textContent = "";
    Object.keys(op.body).forEach(function (key) {
      const label = (op.labels && op.labels[key]) || key;
      const choices = op.choices && op.choices[key];
      rows.appendChild(M.el("tr", {}, [
        M.el("th", { scope: "row", text: label }),
        M.el("td", { text: valueText(theirs[key], choices) }),
        M.el("td", { text: valueText(op.body[key], choices) }),
      ]));
    });
    dialog.querySelector("[data-conflict-title]").textContent = op.label || "";
    dialog.dataset.opId = String(opId);
    dialog.showModal();
  };

  function wireConflictDialog() {
    const dialog = document.getElementById("conflict-dialog");
    if (!dialog) return;
    dialog.addEventListener("click", async function (event) {
      const action = event.target.closest("[data-action]");
      if (!action) return;
      const op = await Q.get(Number(dialog.dataset.opId));
      dialog.close();
      if (!op) return;
      if (action.dataset.action === "mine") {
        op.version = op.conflict.current_version;
        op.status = "pending";
        delete op.conflict;
        await Q.put(op);
        const summary = await M.flush();
        const result = summary.results[op.id];
        if (result && result.state === "done") M.announce(M.t("applied_mine"), "ok");
      } else if (action.dataset.action === "theirs") {
        await Q.remove(op.id);
        M.announce(M.t("kept_theirs"), "ok");
      }
      await updateBadge();
      document.dispatchEvent(new CustomEvent("modugil:queue-resolved", { detail: { id: op.id } }));
    });
  }

  function wireLogout() {
    document.querySelectorAll("form.logout-form").forEach(function (form) {
      form.addEventListener("submit", function () {
        // cached pages and API answers belong to this person; queued edits keep their owner id
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.controller.postMessage({ type: "logout" });
        }
      });
    });
  }

  window.addEventListener("online", function () {
    retryDelayMs = 2000;
    showNetState();
    M.announce(M.t("back_online"), "ok");
    M.flush();
  });
  window.addEventListener("offline", function () {
    showNetState();
    M.announce(M.t("went_offline"), "warn");
  });
  if (Q.channel) Q.channel.addEventListener("message", updateBadge);

  showNetState();
  wireConflictDialog();
  wireLogout();
  updateBadge().then(function () {
    if (navigator.onLine) M.flush();
  });
  window.setInterval(function () {
    if (navigator.onLine) Q.counts().then(function (c) { if (c.pending) M.flush(); });
  }, 30000);
})();
