// Web push in the service worker: every push shows a notification (a browser revokes the subscription of
// a site that pushes silently), a click opens the screen the message is about, and on every start the
// worker asks the server whether it still knows this device's subscription (the subscription-change
// event fires only in Firefox), sending it again when not.
import { language, request } from "./data/net";

export interface PushMessage {
  title: string;
  body: string;
  url: string;
  tag: string | null;
}

interface PushEventLike extends Event {
  readonly data: { json(): unknown; text(): string } | null;
  waitUntil(p: Promise<unknown>): void;
}

interface NotificationEventLike extends Event {
  readonly notification: { data: unknown; close(): void };
  waitUntil(p: Promise<unknown>): void;
}

interface WindowClientLike {
  url: string;
  focus(): Promise<unknown>;
  navigate(url: string): Promise<unknown>;
}

interface Worker {
  location: { origin: string };
  registration: {
    showNotification(title: string, options: Record<string, unknown>): Promise<void>;
    pushManager: { getSubscription(): Promise<{ endpoint: string; toJSON(): Record<string, unknown> } | null> };
  };
  clients: {
    matchAll(o: { type: string; includeUncontrolled: boolean }): Promise<WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
  addEventListener(type: "push", listener: (e: PushEventLike) => void): void;
  addEventListener(type: "notificationclick", listener: (e: NotificationEventLike) => void): void;
}

const FALLBACK: Record<string, [string, string]> = {
  da: ["Felt", "Der er nyt i Felt. Åbn appen for at se det."],
  en: ["Felt", "There is news in Felt. Open the app to see it."],
};

/** The message a push carries; anything unreadable still becomes a notification that opens the app. */
export async function readPush(data: PushEventLike["data"]): Promise<PushMessage> {
  try {
    const m = data?.json() as Partial<PushMessage> | undefined;
    if (m && typeof m.title === "string" && m.title) {
      const url = typeof m.url === "string" && m.url.startsWith("/") && !m.url.startsWith("//") ? m.url : "/";
      return { title: m.title, body: typeof m.body === "string" ? m.body : "", url, tag: m.tag ?? null };
    }
  } catch {
    // Not JSON: fall through to the general message.
  }
  const [title, body] = FALLBACK[(await language()) === "en" ? "en" : "da"];
  return { title, body, url: "/", tag: null };
}

async function show(sw: Worker, data: PushEventLike["data"]): Promise<void> {
  const m = await readPush(data);
  await sw.registration.showNotification(m.title, {
    body: m.body,
    tag: m.tag ?? undefined,
    renotify: Boolean(m.tag),
    data: { url: m.url },
    icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png",
    lang: await language(),
  });
}

async function open(sw: Worker, url: string): Promise<void> {
  const target = new URL(url, sw.location.origin).href;
  const windows = await sw.clients.matchAll({ type: "window", includeUncontrolled: true });
  const mine = windows.find((w) => new URL(w.url).origin === sw.location.origin);
  if (mine) {
    await mine.navigate(target).catch(() => undefined);
    await mine.focus();
    return;
  }
  await sw.clients.openWindow(target);
}

/** The server forgot this device (another person signed in, or it was removed): send it again. */
export async function recheck(sw: Worker): Promise<void> {
  const sub = await sw.registration.pushManager.getSubscription().catch(() => null);
  if (!sub) return;
  try {
    const res = await request("POST", "/api/push/subscriptions/check", {
      json: { endpoint: sub.endpoint },
      accept: [401, 403],
    });
    if (!res.ok) return; // not signed in: the next start tries again
    const { known } = (await res.json()) as { known: boolean };
    if (!known) {
      await request("POST", "/api/push/subscriptions", { json: { ...sub.toJSON(), lang: await language() } });
    }
  } catch {
    // Offline or the server is away: the next start tries again.
  }
}

export function installPush(self: unknown): void {
  const sw = self as Worker;
  sw.addEventListener("push", (event) => {
    event.waitUntil(show(sw, event.data));
  });
  sw.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const data = event.notification.data as { url?: string } | null;
    event.waitUntil(open(sw, data?.url ?? "/"));
  });
  void recheck(sw);
}
