// modugil offline queue: every write (create, edit, vote, photo) is stored in IndexedDB first and
// sent in order when the connection allows. Shared by the pages and the service worker.
//
// Replays are harmless: creates carry a client_id (the server answers a repeat with the first
// result), edits carry the version they were based on (a stale edit is refused and shown as a
// conflict, never applied silently), votes are one-per-person on the server.
(function (root) {
  "use strict";
  const DB_NAME = "modugil-volunteer";
  const DB_VERSION = 1;
  const LOCK = "modugil-sync";
  const channel = "BroadcastChannel" in root ? new BroadcastChannel("modugil-queue") : null;
  let dbPromise = null;

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        const db = request.result;
        db.createObjectStore("ops", { keyPath: "id", autoIncrement: true });
        db.createObjectStore("ids", { keyPath: "client_id" });
        db.createObjectStore("meta", { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  async function store(name, mode) {
    const db = await open();
    return db.transaction(name, mode).objectStore(name);
  }

  function notify() {
    if (channel) channel.postMessage({ type: "changed" });
  }

  const Q = {};
  Q.channel = channel;

  Q.add = async function (op) {
    const record = Object.assign({ status: "pending", created_at: Date.now(), attempts: 0 }, op);
    const id = await promised((await store("ops", "readwrite")).add(record));
    notify();
    return id;
  };
  Q.all = async function () {
    const ops = await promised((await store("ops", "readonly")).getAll());
    return ops.sort(function (a, b) { return a.id - b.id; });
  };
  Q.get = async function (id) { return promised((await store("ops", "readonly")).get(id)); };
  Q.put = async function (op) {
    await promised((await store("ops", "readwrite")).put(op));
    notify();
  };
  Q.remove = async function (id) {
    await promised((await store("ops", "readwrite")).delete(id));
    notify();
  };
  Q.setMeta = async function (key, value) {
    await promised((await store("meta", "readwrite")).put({ key: key, value: value }));
  };
  Q.getMeta = async function (key) {
    const row = await promised((await store("meta", "readonly")).get(key));
    return row ? row.value : null;
  };
  Q.rememberId = async function (clientId, info) {
    await promised((await store("ids", "readwrite")).put(Object.assign({ client_id: clientId }, info)));
  };
  Q.resolveId = async function (clientId) {
    return promised((await store("ids", "readonly")).get(clientId));
  };

  async function request(url, method, ctx, body, headers) {
    const h = Object.assign({ Accept: "application/json", "X-CSRFToken": ctx.csrf || "" }, headers || {});
    let payload = body;
    if (body !== undefined && !(body instanceof FormData)) {
      h["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const response = await fetch(url, { method: method, headers: h, body: payload, credentials: "same-origin" });
    let data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    return { status: response.status, ok: response.ok, data: data, etag: response.headers.get("ETag") };
  }

  // True when every value we sent is already on the server (ids the server adds are ignored).
  function contains(theirs, mine) {
    if (Array.isArray(mine)) {
      return Array.isArray(theirs) && theirs.length === mine.length &&
        mine.every(function (item, i) { return contains(theirs[i], item); });
    }
    if (mine && typeof mine === "object") {
      return Boolean(theirs) && typeof theirs === "object" && Object.keys(mine).every(function (key) {
        return key === "version" || key === "client_id" || contains(theirs[key], mine[key]);
      });
    }
    return mine === theirs;
  }

  // A refused edit: if the server already holds exactly our values (our own earlier attempt went
  // through but the answer was lost), it is done; otherwise it is a conflict for the person.
  async function settleStale(op, response, ctx) {
    const current = await request(op.url, "GET", ctx);
    const props = (current.data && current.data.properties) || {};
    if (current.ok && contains(props, op.body)) return { state: "done", data: current.data };
    op.status = "conflict";
    op.conflict = {
      current_version: props.version || (response.data && response.data.current_version),
      conflict_id: response.data && response.data.conflict_id,
      theirs: props,
      detail: response.data && response.data.detail,
    };
    await Q.put(op);
    return { state: "conflict", data: op.conflict };
  }

  async function fail(op, response) {
    op.status = "failed";
    op.error = response.data || { detail: "HTTP " + response.status };
    await Q.put(op);
    return { state: "failed", data: op.error };
  }

  const SENDERS = {
    create: async function (op, ctx) {
      const body = Object.assign({}, op.body, { client_id: op.client_id });
      const response = await request(op.url, "POST", ctx, body);
      if (response.ok) {
        const detail = op.url + response.data.id + "/";
        await Q.rememberId(op.client_id, { url: detail, id: response.data.id });
        return { state: "done", data: response.data };
      }
      return response;
    },
    patch: async function (op, ctx) {
      const rebased = ctx.rebase[op.url];
      if (rebased && op.version === rebased.from) op.version = rebased.to;
      const response = await request(op.url, "PATCH", ctx, op.body, { "If-Match": '"v' + op.version + '"' });
      if (response.ok) {
        ctx.rebase[op.url] = { from: op.version, to: response.data.properties.version };
        return { state: "done", data: response.data };
      }
      if (response.status === 412 || response.status === 409) return settleStale(op, response, ctx);
      return response;
    },
    vote: async function (op, ctx) {
      const response = await request(op.url, "POST", ctx, op.body);
      return response.ok ? { state: "done", data: response.data } : response;
    },
    photo: async function (op, ctx) {
      let url = op.url;
      if (!url) {
        const known = await Q.resolveId(op.ref);
        if (!known) return { state: "waiting" };
        url = known.url;
      }
      const form = new FormData();
      form.append("image", op.blob, op.filename || "photo.jpg");
      if (op.caption) form.append("caption", op.caption);
      // the server answers a repeated client_id with the photo stored first (200), never a copy
      if (op.client_id) form.append("client_id", op.client_id);
      const response = await request(url + "photos/", "POST", ctx, form);
      return response.ok ? { state: "done", data: response.data } : response;
    },
  };

  async function sendOne(op, ctx) {
    let result;
    try {
      result = await SENDERS[op.kind](op, ctx);
    } catch (err) {
      return { state: "offline" };
    }
    if (result.state) return result;
    // a plain HTTP response that was not a success
    const code = result.data && result.data.code;
    if (result.status === 401 || code === "not_authenticated") return { state: "auth", data: result.data };
    if (result.status >= 500 || result.status === 429) return { state: "retry", data: result.data };
    return fail(op, result);
  }

  async function flushLocked(ctx) {
    const results = {};
    const summary = { sent: 0, failed: 0, conflicts: 0, remaining: 0, stopped: null };
    ctx.rebase = {};
    const ops = await Q.all();
    for (const op of ops) {
      if (op.status !== "pending" || (ctx.userId && op.user_id && op.user_id !== ctx.userId)) {
        if (op.status === "pending") summary.remaining += 1;
        continue;
      }
      if (summary.stopped) { summary.remaining += 1; continue; }
      op.attempts = (op.attempts || 0) + 1;
      const result = await sendOne(op, ctx);
      results[op.id] = result;
      if (result.state === "done") {
        await Q.remove(op.id);
        summary.sent += 1;
      } else if (result.state === "conflict") {
        summary.conflicts += 1;
      } else if (result.state === "failed") {
        summary.failed += 1;
      } else if (result.state === "waiting") {
        summary.remaining += 1;
      } else {
        summary.stopped = result.state; // offline, auth or retry: try again later, in order
        summary.remaining += 1;
      }
    }
    summary.results = results;
    return summary;
  }

  // Send everything that is pending, one flush at a time across tabs and the service worker.
  Q.flush = async function (ctx) {
    const context = Object.assign({}, ctx);
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request(LOCK, function () { return flushLocked(context); });
    }
    return flushLocked(context);
  };

  Q.counts = async function () {
    const ops = await Q.all();
    const counts = { pending: 0, conflict: 0, failed: 0 };
    ops.forEach(function (op) { counts[op.status] = (counts[op.status] || 0) + 1; });
    return counts;
  };

  root.ModugilQueue = Q;
})(self);
