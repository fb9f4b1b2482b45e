// IndexedDB through idb. One database per user ("felt-u-<id>") so one person never sees another's
// records on a shared phone, and one small "felt" database for who is logged in on this browser.
// Runs in the page and in the service worker: no DOM here.
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Attention, BlobEntry, LocalRecord, OutboxEntry, UserId } from "./types";

export interface UserDB extends DBSchema {
  records: { key: string; value: LocalRecord; indexes: { type: string } };
  outbox: { key: number; value: OutboxEntry; indexes: { id: string } };
  meta: { key: string; value: unknown };
  attention: { key: number; value: Attention };
  blobs: { key: string; value: BlobEntry };
}

interface SessionDB extends DBSchema {
  session: { key: string; value: unknown };
}

export type DB = IDBPDatabase<UserDB>;

/**
 * Bump when the stores change, and add an `if (oldVersion < N)` step below. Never delete the
 * database or a store with data in an upgrade: the outbox may hold changes not yet sent.
 */
const USER_DB_VERSION = 1;
const SESSION_DB_VERSION = 1;

const opened = new Map<UserId, Promise<DB>>();
let sessionDb: Promise<IDBPDatabase<SessionDB>> | null = null;

export function userDb(user: UserId): Promise<DB> {
  let db = opened.get(user);
  if (!db) {
    db = openDB<UserDB>(`felt-u-${user}`, USER_DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          db.createObjectStore("records", { keyPath: "id" }).createIndex("type", "type");
          db.createObjectStore("outbox", { keyPath: "n" }).createIndex("id", "id");
          db.createObjectStore("meta");
          db.createObjectStore("attention", { keyPath: "key", autoIncrement: true });
          db.createObjectStore("blobs", { keyPath: "sha256" });
          // This browser's device for this user: made once, kept for good.
          void tx.objectStore("meta").put(crypto.randomUUID(), "device");
          void tx.objectStore("meta").put(1, "nextN");
        }
      },
      // A newer version of the app (another tab) wants to upgrade: let it, and reopen on next use.
      blocking() {
        void db?.then((d) => d.close());
        opened.delete(user);
      },
      terminated() {
        opened.delete(user);
      },
    });
    db.catch(() => opened.delete(user));
    opened.set(user, db);
  }
  return db;
}

function session(): Promise<IDBPDatabase<SessionDB>> {
  if (!sessionDb) {
    const db = openDB<SessionDB>("felt", SESSION_DB_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) db.createObjectStore("session");
      },
      blocking() {
        void db.then((d) => d.close());
        sessionDb = null;
      },
      terminated() {
        sessionDb = null;
      },
    });
    db.catch(() => (sessionDb = null));
    sessionDb = db;
  }
  return sessionDb;
}

export async function sessionGet<T>(key: string): Promise<T | undefined> {
  return (await (await session()).get("session", key)) as T | undefined;
}

export async function sessionSet(key: string, value: unknown): Promise<void> {
  await (await session()).put("session", value, key);
}
