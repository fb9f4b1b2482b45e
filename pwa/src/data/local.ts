// Local reads and writes: each write puts the record and its outbox entry in one IndexedDB
// transaction (no network inside), so the screen shows it at once, online or not.
import type { IDBPTransaction, StoreNames } from "idb";
import { notify, open } from "./bus";
import type { UserDB } from "./db";
import { BUILT_IN, SPECS_KEY, type TypeSpecs, withoutServerFields } from "./fields";
import type { Attention, Fields, LocalRecord, OutboxEntry, ServerRecord } from "./types";

type Tx = IDBPTransaction<UserDB, ArrayLike<StoreNames<UserDB>>, "readwrite">;
type Draft = OutboxEntry extends infer T ? (T extends OutboxEntry ? Omit<T, "n"> : never) : never;

export const now = (): string => new Date().toISOString();

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The local copy = the server's copy with the pending mutations applied on top, oldest first. */
export function build(
  id: string,
  type: string,
  server: ServerRecord | null,
  pending: OutboxEntry[],
  owner: string | null,
): LocalRecord | null {
  if (!pending.length && (!server || server.deleted)) return null;
  if (!server && !pending.some((m) => m.kind === "put")) return null;
  const fields: Fields = { ...(server?.fields ?? {}) };
  let deleted = !!server?.deleted;
  const transitions: string[] = [];
  for (const m of pending) {
    if (m.kind === "put") Object.assign(fields, m.fields);
    else if (m.kind === "delete") deleted = true;
    else transitions.push(m.transition);
  }
  return {
    id,
    type: server?.type ?? type,
    version: server?.version ?? 0,
    state: server?.state ?? null,
    fields,
    owner_id: server ? (server.owner_id ?? null) : owner,
    unit_id: server?.unit_id ?? null,
    updated_at: server?.updated_at ?? null,
    deleted,
    pending: pending.length,
    transitions,
    server,
  };
}

/**
 * Rebuilds one record from its server copy and what still waits in the outbox. `server`: the new
 * server copy, or undefined to keep the one stored. Runs inside the caller's transaction.
 */
export async function rebuild(tx: Tx, id: string, owner: string | null, server?: ServerRecord | null): Promise<void> {
  const records = tx.objectStore("records");
  const prev = await records.get(id);
  const srv = server === undefined ? (prev?.server ?? null) : server;
  const pending = await tx.objectStore("outbox").index("id").getAll(id);
  const type = srv?.type ?? prev?.type ?? pending[0]?.type ?? "";
  const next = build(id, type, srv, pending, owner);
  if (next) await records.put(next);
  else if (prev) await records.delete(id);
}

async function takeN(tx: Tx): Promise<number> {
  const meta = tx.objectStore("meta");
  const n = ((await meta.get("nextN")) as number | undefined) ?? 1;
  await meta.put(n + 1, "nextN");
  return n;
}

type NewMutation =
  | { kind: "put"; fields: Fields; base?: Fields }
  | { kind: "transition"; transition: string }
  | { kind: "delete" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function write(type: string, id: string, m: NewMutation): Promise<LocalRecord | undefined> {
  // A request the server cannot even read would block the whole outbox: refuse it here instead.
  if (!type || typeof type !== "string") throw new TypeError("a record type is required");
  if (!UUID.test(id)) throw new TypeError(`not a UUID: ${id} (use newId())`);
  if (m.kind === "put") {
    if (!m.fields || typeof m.fields !== "object" || Array.isArray(m.fields))
      throw new TypeError("fields must be an object");
    // Kept exactly as it will be sent (JSON): no Dates, Blobs or undefined that would change on the way.
    m = { ...m, fields: JSON.parse(JSON.stringify(m.fields ?? {})) as Fields };
  }
  const { db, user } = await open();
  const tx = db.transaction(["records", "outbox", "meta"], "readwrite") as unknown as Tx;
  const prev = await tx.objectStore("records").get(id);
  if (prev && prev.type !== type) {
    tx.done.catch(() => undefined);
    tx.abort();
    throw new TypeError(`${id} is a ${prev.type}, not a ${type}`);
  }
  let entry: Draft;
  if (m.kind === "put") {
    // Fields the server owns (its calculation, the payroll month, …) are never sent from here.
    const specs = ((await tx.objectStore("meta").get(SPECS_KEY)) as TypeSpecs | undefined) ?? BUILT_IN;
    m = { ...m, fields: withoutServerFields(specs, type, m.fields) };
    // Send only what changed, with `base`: the value each field had when the user started editing
    // (the last server copy, with any earlier pending change on top, which the server will apply first).
    const current = prev?.fields ?? {};
    const fields: Fields = {};
    const base: Fields = {};
    for (const [k, v] of Object.entries(m.fields)) {
      if (prev && same(current[k], v)) continue;
      fields[k] = v;
      // A field this device has never seen has no base: the server then takes the new value (it may
      // hold a default, e.g. "" for a text, which must not count as someone else's change).
      const started = m.base && k in m.base ? m.base[k] : k in current ? current[k] : undefined;
      if (prev && started !== undefined) base[k] = started;
    }
    if (prev && !Object.keys(fields).length) {
      await tx.done;
      return prev;
    }
    if (prev && !prev.server) {
      // The server has not confirmed this record yet: send all of it, so this change can still create
      // it if an earlier one is refused. Unchanged fields merge as no-ops (the server holds that value).
      for (const [k, v] of Object.entries(current))
        if (!(k in fields)) {
          fields[k] = v;
          base[k] = v;
        }
    }
    entry = { kind: "put", type, id, base_version: prev?.server?.version ?? 0, fields, base, at: now() };
  } else if (m.kind === "transition") {
    entry = { kind: "transition", type, id, transition: m.transition, at: now() };
  } else {
    entry = { kind: "delete", type, id, at: now() };
  }
  const n = await takeN(tx);
  await tx.objectStore("outbox").add({ ...entry, n } as OutboxEntry);
  await rebuild(tx, id, user);
  const rec = await tx.objectStore("records").get(id);
  await tx.done;
  notify("local");
  return rec;
}

/** Creates or edits a record (only the given fields change). Returns the local copy. */
export async function put(type: string, id: string, fields: Fields, opts: { base?: Fields } = {}) {
  return (await write(type, id, { kind: "put", fields, base: opts.base })) as LocalRecord;
}

/** Asks the record's state machine to move (e.g. "submit"); the server decides the new state. */
export const transition = (type: string, id: string, name: string) =>
  write(type, id, { kind: "transition", transition: name });

export const remove = (type: string, id: string) => write(type, id, { kind: "delete" });

/** The records of a type as this phone has them (local changes included, deleted ones left out). */
export async function list(type: string): Promise<LocalRecord[]> {
  const { db } = await open();
  return (await db.getAllFromIndex("records", "type", type)).filter((r) => !r.deleted);
}

export async function get(id: string): Promise<LocalRecord | undefined> {
  const { db } = await open();
  const r = await db.get("records", id);
  return r && !r.deleted ? r : undefined;
}

export const newId = (): string => crypto.randomUUID();

export async function attention(): Promise<Attention[]> {
  const { db } = await open();
  return db.getAll("attention");
}

/** Removes a notice after the user has read it (a rejected change, or a conflict settled as the server has it). */
export async function dismiss(key: number): Promise<void> {
  const { db } = await open();
  await db.delete("attention", key);
  notify("status");
}

/**
 * Settles a conflict. "mine": send my values again, as a new change whose base is the server's value
 * (so it applies unless someone changes it yet again). "server": keep the server's value (already here).
 */
export async function resolve(key: number, keep: "mine" | "server"): Promise<void> {
  const { db } = await open();
  const a = await db.get("attention", key);
  if (!a) return;
  if (keep === "mine" && a.kind === "put") {
    const names = a.fields.length ? a.fields : Object.keys(a.mine);
    const fields: Fields = {};
    const base: Fields = {};
    for (const k of names) {
      if (!(k in a.mine)) continue;
      fields[k] = a.mine[k];
      base[k] = a.server?.fields?.[k] ?? null;
    }
    if (Object.keys(fields).length) await put(a.type, a.record_id, fields, { base });
  }
  await dismiss(key);
}
