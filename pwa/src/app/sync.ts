// When the page syncs: at start, after log-in, on `online`, every 30 s while visible, when the tab
// becomes visible again, soon after a local change; with back-off after failures. Background Sync
// (the service worker) takes over when the page is closed or offline.
import { useEffect, useState } from "preact/hooks";
import { feltSync, type SyncStatus } from "../data";

const SYNC_TAG = "felt-sync";
const EVERY_MS = 30_000;

let failures = 0;
let retry: ReturnType<typeof setTimeout> | undefined;
let soon: ReturnType<typeof setTimeout> | undefined;
let askedPersist = false;

async function registerBackgroundSync(): Promise<void> {
  try {
    const reg = await navigator.serviceWorker?.getRegistration();
    await (reg as unknown as { sync?: { register(tag: string): Promise<void> } } | undefined)?.sync?.register(
      SYNC_TAG,
    );
  } catch {
    // No Background Sync (Safari, Firefox): the page syncs when it is next open and online.
  }
}

async function run(): Promise<void> {
  if (!navigator.onLine) {
    void registerBackgroundSync();
    return;
  }
  const r = await feltSync.syncNow();
  clearTimeout(retry);
  retry = undefined;
  if (r.ok || r.error === "nouser" || r.error === "auth" || r.error === "update") {
    failures = 0;
    return;
  }
  // The network or the server failed: nothing is lost; try again in 2, 4, 8 … s, at most 5 minutes.
  failures++;
  void registerBackgroundSync();
  const delay = Math.min(300, 2 ** failures) * 1000 * (0.8 + Math.random() * 0.4);
  retry = setTimeout(() => void run(), delay);
}

/** Asks for a sync in a moment (changes made together go in one push). */
export function syncSoon(ms = 300): void {
  clearTimeout(soon);
  soon = setTimeout(() => void run(), ms);
}

export function startAutoSync(): void {
  void run();
  addEventListener("online", () => void run());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void run();
  });
  setInterval(() => {
    if (document.visibilityState === "visible" && !failures) void run();
  }, EVERY_MS);
  feltSync.subscribe((kind) => {
    if (kind === "user") syncSoon(0);
    if (kind !== "local") return;
    syncSoon();
    if (!navigator.onLine) void registerBackgroundSync();
    // Ask the browser not to evict the offline data under storage pressure (silent in Chrome).
    if (!askedPersist) {
      askedPersist = true;
      void navigator.storage?.persist?.().catch(() => undefined);
    }
  });
}

/** The sync status, kept current by the data module's change events (from any tab). */
export function useSyncStatus(): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let latest = 0;
    let alive = true;
    const load = () => {
      const mine = ++latest;
      feltSync.status().then(
        (s) => alive && mine === latest && setStatus(s),
        () => undefined,
      );
    };
    load();
    const off = feltSync.subscribe(load);
    addEventListener("online", load);
    addEventListener("offline", load);
    return () => {
      alive = false;
      off();
      removeEventListener("online", load);
      removeEventListener("offline", load);
    };
  }, []);
  return status;
}
