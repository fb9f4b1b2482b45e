// Web push on this device, from the page: can it work here, turn it on or off, and the server's side.
import { api } from "../api";
import { lang } from "../i18n";

export interface PushInfo {
  enabled: boolean;
  public_key: string;
  categories: { key: string; label: string; label_en: string }[];
  choices: { off: string[]; digest: boolean };
  devices: number;
}

/**
 * "ok": push can be turned on; "install": an iPhone or iPad outside the installed app (Safari gives web
 * push only to an app added to the home screen, iOS 16.4+); "unsupported": this browser has no push;
 * "blocked": the person said no in the browser, which only its settings can undo.
 */
export type Support = "ok" | "install" | "unsupported" | "blocked";

function isIos(): boolean {
  const ua = navigator.userAgent;
  // iPadOS presents itself as a Mac; a Mac has no touch screen.
  return /iPad|iPhone|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
}

function installed(): boolean {
  return (
    window.matchMedia("(display-mode: standalone)").matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

export function support(): Support {
  if (isIos() && !installed()) return "install";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window))
    return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  return "ok";
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker?.getRegistration();
  return (await reg?.pushManager.getSubscription()) ?? null;
}

/** The browser could not make a subscription at its push service; the message is the browser's. */
export class PushServiceError extends Error {}

/** Ask the browser (from a press: browsers refuse otherwise) and tell the server about this device. */
export async function turnOn(publicKey: string): Promise<void> {
  if ((await Notification.requestPermission()) !== "granted") throw new Error("blocked");
  const reg = await navigator.serviceWorker.ready;
  let sub = await reg.pushManager.getSubscription();
  if (sub) {
    const key = sub.options.applicationServerKey;
    const same = key && new Uint8Array(key).join() === keyBytes(publicKey).join();
    if (!same) {
      await sub.unsubscribe(); // made with another server key: it would never get a message
      sub = null;
    }
  }
  try {
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  } catch (e) {
    // The browser's own push service refused or could not be reached (e.g. Chromium without Google's FCM).
    throw new PushServiceError(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  await api.post("/api/push/subscriptions", { ...sub.toJSON(), lang });
}

export async function turnOff(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await api.post("/api/push/subscriptions/remove", { endpoint: sub.endpoint });
  await sub.unsubscribe();
}
