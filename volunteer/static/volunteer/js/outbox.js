// Outbox: what waits on this phone, and edits the server refused as stale (nothing is lost).
(function () {
  "use strict";
  const M = window.Modugil;
  const Q = window.ModugilQueue;
  const root = document.getElementById("outbox");
  if (!root) return;
  const list = document.getElementById("outbox-list");
  const serverList = document.getElementById("server-conflicts");

  function stateText(op) {
    if (op.status === "conflict") return M.t("state_conflict");
    if (op.status === "failed") return M.t("state_failed") + " " + ((op.error && op.error.detail) || "");
    if (op.user_id && M.userId && op.user_id !== M.userId) return M.t("state_other_user");
    return M.t("state_pending");
  }

  async function render() {
    const ops = await Q.all();
    list.textContent = "";
    document.getElementById("outbox-empty").hidden = ops.length > 0;
    ops.forEach(function (op) {
      const actions = [];
      if (op.status === "conflict") {
        actions.push(M.el("button", { type: "button", class: "secondary", text: M.t("resolve"), onclick: function () { M.showConflict(op.id); } }));
      }
      actions.push(M.el("button", { type: "button", class: "secondary danger", text: M.t("discard"), onclick: async function () {
        if (!window.confirm(M.t("discard_confirm"))) return;
        await Q.remove(op.id);
        render();
      } }));
      list.appendChild(M.el("li", { class: "card op-" + op.status }, [
        M.el("p", { class: "card-title", text: op.label || op.kind }),
        M.el("p", { class: "muted", text: M.t("kind_" + op.kind) + " · " + new Date(op.created_at).toLocaleString(document.documentElement.lang) }),
        M.el("p", { text: stateText(op) }),
        M.el("div", { class: "answers" }, actions),
      ]));
    });
  }

  async function renderServer() {
    if (!M.userId) return;
    let rows;
    try {
      rows = (await M.api("/api/mapping/conflicts/?page_size=50")).data.results;
    } catch (err) {
      serverList.textContent = "";
      serverList.appendChild(M.el("li", { text: err.offline ? M.t("list_offline") : M.errorText(err) }));
      return;
    }
    serverList.textContent = "";
    document.getElementById("server-empty").hidden = rows.length > 0;
    const kinds = { accessibilityfeature: "feature", place: "place", disabledparkingspot: "parking" };
    rows.forEach(function (c) {
      const kind = kinds[c.target_type];
      serverList.appendChild(M.el("li", { class: "card" }, [
        M.el("p", { class: "card-title" }, [kind ? M.el("a", { href: "/app/edit/" + kind + "/" + c.object_id + "/", text: c.target_type + " #" + c.object_id }) : c.target_type]),
        M.el("p", { text: M.t("refused_line", { base: c.base_version, current: c.current_version, date: M.dateText(c.created_at) }) }),
        M.el("pre", { class: "attempted", text: JSON.stringify(c.attempted, null, 1) }),
      ]));
    });
  }

  document.getElementById("send-now").addEventListener("click", async function () {
    await M.flush();
    render();
  });
  if (Q.channel) Q.channel.addEventListener("message", render);
  document.addEventListener("modugil:queue-resolved", render);
  render();
  renderServer();
})();
