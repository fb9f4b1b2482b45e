// Felt's offline data: the public API for screens (and window.feltSync for tests and workflows).
// Shared by the page and the service worker; no DOM code in this folder.
import { currentUser, NotLoggedIn, setUser, subscribe } from "./bus";
import type { IDBPIndex, StoreNames } from "idb";
import { type UserDB, userDb } from "./db";
import { BUILT_IN, check, danishToday, parse, readDate, readNumber, refreshSpecs, specs } from "./fields";
import { attention, dismiss, get, list, newId, put, remove, resolve, transition } from "./local";
import { clearDraft, getDraft, setDraft } from "./drafts";
import { setLanguage, SCHEMA } from "./net";
import { addPhoto, photo, photoUrl } from "./photos";
import { isSyncing, syncNow } from "./sync";
import type { SyncStatus } from "./types";

export type * from "./types";
export type { FieldSpec, Parsed, Problem, TypeSpecs } from "./fields";
export { NotLoggedIn, SCHEMA };
export { FileRefused, MAX_FILE_BYTES } from "./photos";

/** What the sync status in the header shows. */
/** Records waiting, not field edits (three edits of one receipt are one thing to send): the distinct
 * record ids of the outbox, read from its index's keys without loading the mutations. */
async function recordsWaiting(byId: IDBPIndex<UserDB, ArrayLike<StoreNames<UserDB>>, "outbox", "id">): Promise<number> {
  let n = 0;
  for (let c = await byId.openKeyCursor(null, "nextunique"); c; c = await c.continue()) n++;
  return n;
}

export async function status(): Promise<SyncStatus> {
  const online = navigator.onLine;
  const syncing = await isSyncing();
  const user = await currentUser();
  const empty: SyncStatus = {
    user,
    pending: 0,
    pendingBlobs: 0,
    lastSyncAt: null,
    lastError: null,
    attention: [],
    online,
    syncing,
    needsLogin: false,
    updateRequired: false,
  };
  if (!user) return empty;
  const db = await userDb(user);
  const tx = db.transaction(["outbox", "meta", "attention", "blobs"]);
  const meta = tx.objectStore("meta");
  const [pending, items, blobs, lastSyncAt, lastError, needsLogin, updateRequired] = await Promise.all([
    recordsWaiting(tx.objectStore("outbox").index("id")),
    tx.objectStore("attention").getAll(),
    tx.objectStore("blobs").getAll(),
    meta.get("lastSyncAt"),
    meta.get("lastError"),
    meta.get("needsLogin"),
    meta.get("updateRequired"),
  ]);
  return {
    ...empty,
    pending,
    pendingBlobs: blobs.filter((b) => !b.uploaded && !b.failed && b.blob).length,
    lastSyncAt: (lastSyncAt as string | undefined) ?? null,
    lastError: (lastError as string | null | undefined) ?? null,
    attention: items,
    needsLogin: !!needsLogin,
    updateRequired: updateRequired === SCHEMA,
  };
}

export const feltSync = {
  put,
  transition,
  remove,
  list,
  get,
  newId,
  syncNow,
  status,
  subscribe,
  attention,
  dismiss,
  resolve,
  addPhoto,
  photo,
  photoUrl,
  setUser,
  setLanguage,
  /** Forms' unsaved input, kept on the phone across reloads (data/drafts.ts). */
  drafts: { get: getDraft, set: setDraft, clear: clearDraft },
  /** The record types' typed fields: forms parse and check with them (data/fields.ts). */
  fields: { BUILT_IN, specs, refresh: refreshSpecs, parse, check, readNumber, readDate, today: danishToday },
};

export type FeltSync = typeof feltSync;
