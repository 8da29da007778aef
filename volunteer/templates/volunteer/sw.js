// modugil volunteer app service worker (scope {{ scope }}), shell version {{ version }}.
// Caches the app shell so the app opens offline; pages and API reads are network-first with the
// last good copy as fallback; writes are never intercepted: they go through the IndexedDB queue,
// which this worker also sends (Background Sync) when no page of the app is open.
/* global ModugilQueue */
"use strict";
importScripts("{{ queue_url }}");

const SHELL = "modugil-shell-{{ version }}";
const RUNTIME = "modugil-runtime-v1";
const TILES = "modugil-tiles-v1";
// modugil's own vector tiles: network first (an edit shows at once), the last copy offline.
const VECTOR_TILES = "modugil-vector-tiles-v1";
const PRECACHE = {{ precache|safe }};
const OFFLINE_URL = "{{ offline_url }}";
const MAX_TILES = 1500;
const BASEMAP_ORIGIN = "{{ basemap_origin }}";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(PRECACHE); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.startsWith("modugil-shell-") && key !== SHELL;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

async function networkFirst(request, fallbackUrl) {
  const cache = await caches.open(RUNTIME);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) cache.put(request, response.clone());
    return response;
  } catch (err) {
    // Django varies pages on Cookie and Accept-Language; this cache only ever holds this
    // person's copies (it is emptied on log-out), so those headers need not match.
    const cached = await cache.match(request, { ignoreVary: true }) || await caches.match(request, { ignoreVary: true });
    if (cached) return cached;
    if (fallbackUrl) return caches.match(fallbackUrl, { ignoreVary: true });
    return new Response(JSON.stringify({ detail: "offline", code: "offline" }), {
      status: 503, headers: { "Content-Type": "application/json" },
    });
  }
}

async function cacheFirst(request, cacheName) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok || response.type === "opaque") {
    const cache = await caches.open(cacheName);
    await cache.put(request, response.clone());
    if (cacheName === TILES) trim(cache);
  }
  return response;
}

async function networkFirstTile(request) {
  const cache = await caches.open(VECTOR_TILES);
  try {
    const response = await fetch(request);
    if (response.status === 200) { await cache.put(request, response.clone()); trim(cache); }
    else if (response.status === 204) await cache.delete(request);
    return response;
  } catch (err) {
    const cached = await cache.match(request);
    return cached || new Response(null, { status: 204 });  // offline and never seen: an empty tile
  }
}

async function trim(cache) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - MAX_TILES; i += 1) await cache.delete(keys[i]);
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    if (BASEMAP_ORIGIN && url.origin === BASEMAP_ORIGIN) event.respondWith(cacheFirst(request, TILES)); // tiles seen before
    return;
  }
  if (request.mode === "navigate") {
    if (url.pathname.startsWith("{{ scope }}")) event.respondWith(networkFirst(request, OFFLINE_URL));
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/media/photos/")) {
    event.respondWith(cacheFirst(request, RUNTIME));
  } else if (url.pathname.startsWith("/tiles/")) {
    event.respondWith(networkFirstTile(request));
  } else if (url.pathname.startsWith("/api/")) {
    event.respondWith(networkFirst(request, null));
  }
});

async function flushFromWorker() {
  const windows = await self.clients.matchAll({ type: "window" });
  if (windows.length) {
    windows[0].postMessage({ type: "flush" });
    return;
  }
  await ModugilQueue.flush({
    csrf: await ModugilQueue.getMeta("csrf"),
    userId: await ModugilQueue.getMeta("user_id"),
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "modugil-sync") event.waitUntil(flushFromWorker());
});

// Keep the main screens on the phone: the first visit happens before this worker controls the
// page, so the page asks for them (with its cookies) once the worker is active.
async function warm(urls) {
  const cache = await caches.open(RUNTIME);
  await Promise.all(urls.map(async function (url) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await cache.put(url, response);
    } catch (err) { /* offline: nothing to warm */ }
  }));
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type === "logout") event.waitUntil(caches.delete(RUNTIME));
  if (data.type === "warm" && Array.isArray(data.urls)) {
    const mine = data.urls.filter(function (url) { return new URL(url, self.location.origin).pathname.startsWith("{{ scope }}"); });
    event.waitUntil(warm(mine));
  }
});
