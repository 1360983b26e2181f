// Lets a tablet reload the marking page while the hall's network is down: the pages and their
// files come from the network when it answers, else from the copy kept here. The API is never
// cached (marks wait in the page's own queue instead).
"use strict";

const CACHE = "podium-pages-v1";
const SHELL = ["/mark", "/chief", "/intake-pages/intake.css", "/intake-pages/i18n.js",
               "/intake-pages/common.js", "/intake-pages/queue.js", "/intake-pages/mark.js",
               "/intake-pages/chief.js", "/intake-pages/signing.js", "/intake-pages/forms.js",
               "/intake-pages/judges.js"];

self.addEventListener("install", (event) => {
  // The API goes straight to the network, never through this worker, where browsers support
  // saying so (the static routing API); the fetch handler below leaves it alone anyway.
  if (event.addRoutes) {
    event.addRoutes({condition: {urlPattern: new URLPattern({pathname: "/api/*"})}, source: "network"});
  }
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (!SHELL.includes(url.pathname)) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  }).catch(() => caches.match(url.pathname)));
});
