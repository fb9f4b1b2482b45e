// The sync loop (docs/sync.md): upload photos, push the outbox oldest first, then pull until done.
// One context at a time (Web Locks); the network is never awaited inside an IndexedDB transaction.
import type { IDBPTransaction, StoreNames } from "idb";
import { notify, sessionUser } from "./bus";
import { type DB, sessionSet, type UserDB, userDb } from "./db";
import { now, rebuild } from "./local";
import { HttpError, NetworkError, request, SCHEMA } from "./net";
import type {
  Attention,
  BlobEntry,
  Mutation,
  OutboxEntry,
  PullResponse,
  PushResponse,
  ServerRecord,
  SyncResult,
} from "./types";

type Tx = IDBPTransaction<UserDB, ArrayLike<StoreNames<UserDB>>, "readwrite">;

const LOCK = "felt-sync";
const BATCH = 100;
const PAGE = 500;
const CHUNK = 256 * 1024;

// ---- the server copy, as far as this device knows it --------------------------------------------

/** A change the server applied but sent no record for (a duplicate, or one a pull's last_n confirms). */
function fold(srv: ServerRecord | null, m: OutboxEntry): ServerRecord | null {
  if (m.kind === "put")
    return {
      ...(srv ?? { id: m.id, type: m.type, version: 0, state: null }),
      fields: { ...(srv?.fields ?? {}), ...m.fields },
    };
  if (m.kind === "delete") return srv && { ...srv, deleted: true };
  return srv;
}

/** Keeps the newer of two server copies (a copy never goes back to an older version). */
function newer(a: ServerRecord | null | undefined, b: ServerRecord): ServerRecord {
  return a && a.version > b.version ? a : b;
}

/** Server copies changed in one transaction, read once and written by rebuild() at the end. */
class Copies {
  private map = new Map<string, ServerRecord | null>();
  constructor(private tx: Tx) {}
  async get(id: string): Promise<ServerRecord | null> {
    if (!this.map.has(id)) this.map.set(id, (await this.tx.objectStore("records").get(id))?.server ?? null);
    return this.map.get(id) ?? null;
  }
  set(id: string, srv: ServerRecord | null): void {
    this.map.set(id, srv);
  }
  async write(user: string): Promise<void> {
    for (const [id, srv] of this.map) await rebuild(this.tx, id, user, srv);
  }
}

function wire(m: OutboxEntry): Mutation {
  const { at: _at, ...rest } = m;
  return rest as Mutation;
}

// ---- push --------------------------------------------------------------------------------------

/** Applies one push response; returns how many outbox entries it settled. */
async function applyPush(db: DB, user: string, batch: OutboxEntry[], res: PushResponse): Promise<number> {
  const tx = db.transaction(["records", "outbox", "attention", "meta"], "readwrite") as unknown as Tx;
  const outbox = tx.objectStore("outbox");
  const copies = new Copies(tx);
  const results = new Map((res.results ?? []).map((r) => [r.n, r]));
  let settled = 0;
  for (const m of batch) {
    const r = results.get(m.n);
    if (r && r.status !== "out_of_order") {
      if (r.record) copies.set(m.id, newer(await copies.get(m.id), r.record));
      else if (r.status === "applied") copies.set(m.id, fold(await copies.get(m.id), m));
      // Not applied and no record: the user may not see it (or it never existed). Drop our copy.
      else copies.set(m.id, null);
      if (r.status === "conflict" || r.status === "rejected") {
        const a: Attention = {
          n: m.n,
          status: r.status,
          kind: m.kind,
          type: m.type,
          record_id: m.id,
          reason: r.reason ?? "",
          reason_en: r.reason_en ?? undefined,
          fields: r.fields ?? [],
          mine: m.kind === "put" ? m.fields : {},
          server: r.record ?? null,
          at: now(),
        };
        if (m.kind === "transition") a.transition = m.transition;
        await tx.objectStore("attention").add(a);
      }
    } else if (!(typeof res.last_n === "number" && m.n <= res.last_n)) {
      continue; // out of order, or no answer: it stays in the outbox
    } else {
      copies.set(m.id, fold(await copies.get(m.id), m)); // processed earlier; its answer was lost
    }
    await outbox.delete(m.n);
    settled++;
  }
  await copies.write(user);
  await tx.done;
  return settled;
}

/** The server has processed up to `start - 1` and nothing after (e.g. restored from a backup): renumber. */
async function renumber(db: DB, start: number): Promise<void> {
  const tx = db.transaction(["outbox", "meta"], "readwrite");
  const all = await tx.objectStore("outbox").getAll();
  await tx.objectStore("outbox").clear();
  let n = start;
  for (const m of all) await tx.objectStore("outbox").add({ ...m, n: n++ });
  await tx.objectStore("meta").put(n, "nextN");
  await tx.done;
}

async function push(db: DB, device: string, user: string): Promise<void> {
  let renumbered = false;
  for (;;) {
    const batch = await db.getAll("outbox", undefined, BATCH);
    if (!batch.length) return;
    const res = (await (
      await request("POST", "/api/sync/push", { json: { device_id: device, mutations: batch.map(wire) } })
    ).json()) as PushResponse;
    const settled = await applyPush(db, user, batch, res);
    notify("sync");
    if (settled) continue;
    // Nothing settled: all out of order. Resend from last_n + 1 (renumbering if we are ahead of it).
    if (!renumbered && typeof res.last_n === "number" && batch[0].n > res.last_n + 1) {
      await renumber(db, res.last_n + 1);
      renumbered = true;
      continue;
    }
    throw new HttpError(409, "out_of_order");
  }
}

// ---- pull --------------------------------------------------------------------------------------

async function applyPull(db: DB, user: string, res: PullResponse): Promise<void> {
  const tx = db.transaction(["records", "outbox", "meta"], "readwrite") as unknown as Tx;
  const records = tx.objectStore("records");
  const outbox = tx.objectStore("outbox");
  if (res.reset) {
    // What I may see has changed: keep only records with changes still to send, then take the fresh set.
    for (const id of await records.getAllKeys())
      if (!(await outbox.index("id").count(id))) await records.delete(id);
  }
  const copies = new Copies(tx);
  if (typeof res.last_n === "number") {
    // Processed by the server, even if the push answer was lost: done.
    for (const m of await outbox.getAll(IDBKeyRange.upperBound(res.last_n))) {
      copies.set(m.id, fold(await copies.get(m.id), m));
      await outbox.delete(m.n);
    }
  }
  for (const r of res.records ?? []) {
    const mine = await copies.get(r.id);
    copies.set(r.id, res.reset ? r : newer(mine, r));
  }
  await copies.write(user);
  await tx.objectStore("meta").put(res.cursor, "cursor");
  await tx.done;
}

async function pull(db: DB, device: string, user: string): Promise<void> {
  let cursor = (await db.get("meta", "cursor")) as string | undefined;
  for (let page = 0; page < 100_000; page++) {
    const q = new URLSearchParams({ device_id: device, limit: String(PAGE) });
    if (cursor) q.set("cursor", cursor);
    const res = (await (await request("GET", `/api/sync/pull?${q}`)).json()) as PullResponse;
    await applyPull(db, user, res);
    if (res.records?.length || res.reset) notify("sync");
    cursor = res.cursor;
    if (!res.has_more) return;
  }
}

// ---- photos ------------------------------------------------------------------------------------

async function serverOffset(url: string): Promise<number | "done"> {
  const res = await request("HEAD", url, { accept: [404] });
  if (res.headers.get("upload-complete") === "1") return "done";
  return Number(res.headers.get("upload-offset") ?? 0) || 0;
}

/** Sends the photo in 256 kB chunks from where the server is; resumes there after any failure. */
async function uploadOne(db: DB, b: BlobEntry & { blob: Blob }): Promise<void> {
  const url = `/api/sync/blobs/${b.sha256}`;
  let offset = await serverOffset(url);
  let resyncs = 0;
  while (offset !== "done" && offset < b.size) {
    const end = Math.min(offset + CHUNK, b.size);
    let answer: { complete?: boolean; offset?: number } = {};
    try {
      const res = await request("PUT", url, {
        body: b.blob.slice(offset, end),
        headers: {
          "content-type": "application/octet-stream",
          "content-range": `bytes ${offset}-${end - 1}/${b.size}`,
          "x-blob-type": b.type,
        },
        timeoutMs: 120_000,
      });
      answer = (await res.json().catch(() => ({}))) as typeof answer;
    } catch (e) {
      // The server may hold a different offset (a chunk whose answer was lost): ask, and go on from there.
      if (!(e instanceof HttpError && [400, 409, 416, 422].includes(e.status)) || ++resyncs > 3) throw e;
      const there = await serverOffset(url);
      if (there === offset) throw e; // the same place: a real refusal (too big, damaged)
      offset = there;
      continue;
    }
    offset = answer.complete ? b.size : typeof answer.offset === "number" ? answer.offset : end;
    const cur = await db.get("blobs", b.sha256);
    if (cur) await db.put("blobs", { ...cur, offset: offset as number });
  }
  // The server has it: keep only the thumbnail here.
  const cur = await db.get("blobs", b.sha256);
  if (cur) await db.put("blobs", { ...cur, blob: null, offset: b.size, uploaded: true });
}

async function uploadBlobs(db: DB): Promise<void> {
  for (const b of await db.getAll("blobs")) {
    if (b.uploaded || b.failed || !b.blob) continue;
    try {
      await uploadOne(db, b as BlobEntry & { blob: Blob });
    } catch (e) {
      // The server refuses this photo for good (too big, wrong hash): note it, and let the changes go.
      if (e instanceof HttpError && e.status >= 400 && e.status < 500 && ![401, 408, 426, 429].includes(e.status)) {
        const cur = await db.get("blobs", b.sha256);
        if (cur) await db.put("blobs", { ...cur, failed: e.message || String(e.status) });
        continue;
      }
      throw e;
    }
    notify("status");
  }
}

// ---- the run -----------------------------------------------------------------------------------

async function setMeta(db: DB, values: Record<string, unknown>): Promise<void> {
  const tx = db.transaction("meta", "readwrite");
  for (const [k, v] of Object.entries(values)) await tx.store.put(v, k);
  await tx.done;
}

/** The user this context last saw the server confirm (GET /api/me) for the session cookie. */
let confirmed: string | null = null;

async function somethingToSend(db: DB): Promise<boolean> {
  if (await db.count("outbox")) return true;
  return (await db.getAll("blobs")).some((b) => !b.uploaded && !b.failed && b.blob);
}

async function runOnce(): Promise<SyncResult> {
  let user = await sessionUser();
  if (!user) return { ok: false, error: "nouser" };
  let db = await userDb(user);
  try {
    // Never send one person's changes with another person's session (a new device is bound to the
    // first user who pushes from it): before sending, and once per user, ask the server who this is.
    if (confirmed !== user || (await somethingToSend(db))) {
      confirmed = null;
      const me = String(((await (await request("GET", "/api/me")).json()) as { id: string | number }).id);
      if (me !== user) {
        await sessionSet("user", me);
        notify("user");
        user = me;
        db = await userDb(me);
      }
      confirmed = user;
    }
    const device = (await db.get("meta", "device")) as string;
    // Told to update: send nothing until a pull shows the server takes this version again.
    if ((await db.get("meta", "updateRequired")) === SCHEMA) await pull(db, device, user);
    await uploadBlobs(db);
    await push(db, device, user);
    await pull(db, device, user);
    await setMeta(db, { lastSyncAt: now(), lastError: null, needsLogin: false, updateRequired: false });
    return { ok: true };
  } catch (e) {
    if (e instanceof HttpError && e.status === 401) {
      await setMeta(db, { needsLogin: true, lastError: e.message });
      return { ok: false, error: "auth", message: e.message };
    }
    if (e instanceof HttpError && e.status === 426) {
      await setMeta(db, { updateRequired: SCHEMA, lastError: e.message });
      return { ok: false, error: "update", message: e.message };
    }
    const message = e instanceof Error ? e.message : String(e);
    await setMeta(db, { lastError: message, ...(e instanceof HttpError ? { needsLogin: false } : {}) }).catch(
      () => undefined,
    );
    if (!(e instanceof NetworkError || e instanceof HttpError)) console.error(e);
    return { ok: false, error: e instanceof NetworkError ? "network" : "server", message };
  } finally {
    notify("status");
  }
}

let running: Promise<SyncResult> | null = null;
let again = false;
let syncingHere = false;

type Locks = {
  request<T>(name: string, cb: () => Promise<T>): Promise<T>;
  query(): Promise<{ held?: { name?: string }[]; pending?: { name?: string }[] }>;
};
const locks = (): Locks | undefined => (navigator as unknown as { locks?: Locks }).locks;

async function locked(fn: () => Promise<SyncResult>): Promise<SyncResult> {
  const run = async () => {
    syncingHere = true;
    notify("status");
    try {
      return await fn();
    } finally {
      syncingHere = false;
    }
  };
  const l = locks();
  try {
    return await (l ? l.request(LOCK, run) : run());
  } finally {
    notify("status"); // the lock is free now: listeners see syncing = false
  }
}

/**
 * Syncs now: photos, then the outbox, then pull. One run at a time in this context (a call during a
 * run makes it go round once more) and one context at a time across tabs and the service worker.
 */
export function syncNow(): Promise<SyncResult> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    let r: SyncResult;
    do {
      again = false;
      r = await locked(runOnce);
    } while (again && r.ok);
    return r;
  })().finally(() => {
    running = null;
  });
  return running;
}

/** True while this context or another (tab, service worker) holds the sync lock. */
export async function isSyncing(): Promise<boolean> {
  if (syncingHere) return true;
  const q = await locks()
    ?.query()
    .catch(() => undefined);
  return !!q?.held?.some((l) => l.name === LOCK);
}
