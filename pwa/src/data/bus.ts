// Who is logged in here, and telling listeners (this tab, other tabs, the service worker) about changes.
import { sessionGet, sessionSet, userDb, type DB } from "./db";
import type { ChangeKind, UserId } from "./types";

type Listener = (kind: ChangeKind) => void;

const listeners = new Set<Listener>();
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("felt-sync") : null;
if (channel) channel.onmessage = (e: MessageEvent<{ kind?: ChangeKind }>) => emit(e.data?.kind ?? "sync");

function emit(kind: ChangeKind): void {
  for (const l of [...listeners]) {
    try {
      l(kind);
    } catch (e) {
      console.error(e);
    }
  }
}

/** Tells this context's listeners and every other tab (and the service worker's pages) that something changed. */
export function notify(kind: ChangeKind): void {
  emit(kind);
  channel?.postMessage({ kind });
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

// The page keeps its user in memory (set at log-in); the service worker always asks the session store,
// since the person logged in may change while it lives.
const isPage = "document" in globalThis;
let user: Promise<UserId | null> | null = null;

/** The user whose records this context shows and writes. */
export function currentUser(): Promise<UserId | null> {
  if (!isPage || !user) user = sessionUser();
  return user;
}

/** Who is logged in on this browser now, as the last log-in in any tab left it. */
export async function sessionUser(): Promise<UserId | null> {
  return (await sessionGet<UserId | null>("user").catch(() => null)) ?? null;
}

/** Call after log-in (and with the cached user when offline); null after log-out. */
export async function setUser(id: string | number | null): Promise<void> {
  const next = id == null ? null : String(id);
  const before = await currentUser();
  user = Promise.resolve(next);
  await sessionSet("user", next);
  if (before !== next) notify("user");
}

export class NotLoggedIn extends Error {
  constructor() {
    super("not logged in");
  }
}

/** The current user's database; throws NotLoggedIn when nobody is. */
export async function open(): Promise<{ db: DB; user: UserId }> {
  const u = await currentUser();
  if (!u) throw new NotLoggedIn();
  return { db: await userDb(u), user: u };
}
