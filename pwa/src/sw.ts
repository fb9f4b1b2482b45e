// The service worker: precaches the shell (Felt opens offline), serves index.html for navigations,
// and syncs by Background Sync when the page could not (closed, or offline when the change was made).
// Web push: pushWorker.ts.
// /api, /auth and /schema are never cached: those answers always come from the server.
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { syncNow } from "./data/sync";
import { installPush } from "./pushWorker";

const SYNC_TAG = "felt-sync";

declare global {
  interface Window {
    __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  }
}

interface SyncEvent extends Event {
  readonly tag: string;
  readonly lastChance: boolean;
  waitUntil(p: Promise<unknown>): void;
}

const sw = self as unknown as {
  skipWaiting(): Promise<void>;
  addEventListener(type: "sync", listener: (e: SyncEvent) => void): void;
};

void sw.skipWaiting();
clientsClaim();
installPush(self);

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), {
    denylist: [/^\/api(\/|$)/, /^\/auth(\/|$)/, /^\/schema(\/|$)/],
  }),
);

sw.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    syncNow().then((r) => {
      // A failed promise asks the browser to try again later (with its own back-off). Not for a
      // lapsed log-in or an outdated app: trying again cannot help until the user acts.
      if (!r.ok && (r.error === "network" || r.error === "server")) throw new Error(r.message ?? r.error);
    }),
  );
});
