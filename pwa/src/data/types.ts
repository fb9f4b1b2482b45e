// The shapes of docs/sync.md, and what the client keeps in IndexedDB.

export type Fields = Record<string, unknown>;
export type UserId = string;

/** A record as the server sends it (push results, pull pages). */
export interface ServerRecord {
  id: string;
  type: string;
  version: number;
  state?: string | null;
  fields?: Fields;
  owner_id?: number | string | null;
  unit_id?: number | string | null;
  deleted?: boolean;
  updated_at?: string | null;
  /** The state machine's steps: who moved it, when, and why (a rejection's reason). */
  history?: { transition: string; by: number | string; at: string; state: string; note?: string | null }[];
}

/** The local copy: the server's last copy with the still-pending mutations applied on top. */
export interface LocalRecord {
  id: string;
  type: string;
  /** The server's version of this record; 0 while the server has not confirmed it. */
  version: number;
  state: string | null;
  fields: Fields;
  owner_id: number | string | null;
  unit_id: number | string | null;
  updated_at: string | null;
  /** Deleted here, waiting for the server (deleted records are not listed). */
  deleted: boolean;
  /** How many of this record's changes wait in the outbox. */
  pending: number;
  /** Transitions asked for and not yet processed (the server's state machine decides the new state). */
  transitions: string[];
  /** The last copy the server sent (or what it must hold after an applied change); null when never seen. */
  server: ServerRecord | null;
}

export type Mutation =
  | { n: number; kind: "put"; type: string; id: string; base_version: number; fields: Fields; base: Fields }
  | { n: number; kind: "transition"; type: string; id: string; transition: string }
  | { n: number; kind: "delete"; type: string; id: string };

/** An outbox entry: the mutation as it is sent, plus when it was made (not sent). */
export type OutboxEntry = Mutation & { at: string };

export interface PushResult {
  n: number;
  status: "applied" | "conflict" | "rejected" | "out_of_order";
  duplicate?: boolean;
  fields?: string[];
  reason?: string;
  reason_en?: string;
  record?: ServerRecord | null;
}

export interface PushResponse {
  last_n: number;
  results: PushResult[];
}

export interface PullResponse {
  cursor: string;
  has_more: boolean;
  reset?: boolean;
  last_n?: number | null;
  records: ServerRecord[];
}

/** A change the server did not take as it was: the user must see it and decide. */
export interface Attention {
  key?: number;
  n: number;
  status: "conflict" | "rejected";
  kind: Mutation["kind"];
  type: string;
  record_id: string;
  /** The server's words, in Danish and in English. */
  reason: string;
  reason_en?: string;
  /** For conflicts: the fields someone else changed meanwhile. */
  fields: string[];
  /** What this device sent: field values for put, the transition's name for transition. */
  mine: Fields;
  transition?: string;
  /** The server's record (null when the user may not see it). */
  server: ServerRecord | null;
  at: string;
}

/** A photo: the downsized original until it is uploaded, and a small thumbnail kept afterwards. */
export interface BlobEntry {
  sha256: string;
  blob: Blob | null;
  thumb: Blob | null;
  size: number;
  type: string;
  /** Bytes the server has confirmed (resume from here). */
  offset: number;
  uploaded: boolean;
  /** Why the server refused it for good (the upload is not retried). */
  failed?: string;
  at: string;
}

export interface SyncStatus {
  user: UserId | null;
  pending: number;
  /** Photos still to upload. */
  pendingBlobs: number;
  lastSyncAt: string | null;
  lastError: string | null;
  attention: Attention[];
  online: boolean;
  syncing: boolean;
  needsLogin: boolean;
  updateRequired: boolean;
}

export type SyncError = "network" | "auth" | "update" | "server" | "nouser";
export type SyncResult = { ok: true } | { ok: false; error: SyncError; message?: string };

/** Why listeners are called: a local write, a sync applied server data, status only, or a new user. */
export type ChangeKind = "local" | "sync" | "status" | "user";
