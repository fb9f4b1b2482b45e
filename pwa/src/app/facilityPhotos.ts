// A reporter's photos (up to 4 a report), kept on the phone (IndexedDB: localStorage is too small) until
// the report reached the door, then sent in 256 kB chunks to the report's narrow photo upload with the
// private link's secret in a header (backend/features/facility/photos.py); resumed from where the server
// is after any failure. Downsized on the phone like receipts (2000 px JPEG, no EXIF); an iPhone's HEIC
// this browser cannot draw is sent as it is and read by the server.
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import { ApiError } from "../api";
import { bitmap, encode, sha256, sniff } from "../data/photos";

export const MAX_PHOTOS = 4;
/** The server's limit for one reporter's photo (photos.py MAX_BYTES). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const CHUNK = 256 * 1024;

interface PhotoDB extends DBSchema {
  photos: { key: string; value: { sha256: string; blob: Blob; thumb: Blob | null; at: string } };
}

let opened: Promise<IDBPDatabase<PhotoDB>> | null = null;
const db = () =>
  (opened ??= openDB<PhotoDB>("felt-facility-photos", 1, {
    upgrade(d) {
      d.createObjectStore("photos", { keyPath: "sha256" });
    },
  }));

/** Why a photo cannot be kept: "type" not an image, "size" over 10 MB. */
export class PhotoRefused extends Error {
  constructor(readonly reason: "type" | "size") {
    super(reason);
  }
}

/** Keep a photo for a report on this phone; returns its SHA-256 (what the report's `photos` lists). */
export async function keepPhoto(file: Blob): Promise<string> {
  let blob: Blob;
  let thumb: Blob | null = null;
  try {
    const img = await bitmap(file);
    try {
      blob = await encode(img, 2000, 0.85);
      thumb = await encode(img, 320, 0.7);
    } finally {
      img.close();
    }
  } catch {
    if ((await sniff(file)) !== "image/heic") throw new PhotoRefused("type");
    blob = new Blob([file], { type: "image/heic" });
  }
  if (blob.size > MAX_PHOTO_BYTES) throw new PhotoRefused("size");
  const hash = await sha256(blob);
  await (await db()).put("photos", { sha256: hash, blob, thumb, at: new Date().toISOString() });
  return hash;
}

/** A small picture of a kept photo to show on the form (null: none, e.g. a HEIC not drawn here). */
export async function thumbnail(hash: string): Promise<Blob | null> {
  return (await (await db()).get("photos", hash))?.thumb ?? null;
}

export async function forget(hashes: string[]): Promise<void> {
  const d = await db();
  for (const h of hashes) await d.delete("photos", h);
}

function csrf(): string {
  return decodeURIComponent(/(?:^|;\s*)csrftoken=([^;]*)/.exec(document.cookie)?.[1] ?? "");
}

async function call(method: string, url: string, secret: string, body?: Blob, range?: string): Promise<Response> {
  const headers: Record<string, string> = { "x-follow-secret": secret, accept: "application/json" };
  if (range) headers["content-range"] = range;
  if (method !== "HEAD") {
    if (!csrf()) await fetch("/api/health", { credentials: "same-origin" }).catch(() => undefined);
    headers["x-csrftoken"] = csrf();
    headers["content-type"] = "application/octet-stream";
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network");
  }
  if (!res.ok) {
    const detail = ((await res.json().catch(() => ({}))) as { detail?: string }).detail;
    throw new ApiError(res.status, detail ?? `HTTP ${res.status}`);
  }
  return res;
}

/** Send the report's photos kept on this phone (a photo no longer here was sent before). Throws ApiError. */
export async function sendPhotos(reportId: string, secret: string, hashes: string[]): Promise<void> {
  const d = await db();
  for (const hash of hashes) {
    const kept = await d.get("photos", hash);
    if (!kept) continue;
    const url = `/api/facility/public/reports/${reportId}/photos/${hash}`;
    const head = await call("HEAD", url, secret);
    let offset = head.headers.get("upload-complete") === "1" ? kept.blob.size : Number(head.headers.get("upload-offset") ?? 0);
    while (offset < kept.blob.size) {
      const end = Math.min(offset + CHUNK, kept.blob.size);
      const res = await call("PUT", url, secret, kept.blob.slice(offset, end), `bytes ${offset}-${end - 1}/${kept.blob.size}`);
      const answer = (await res.json()) as { complete: boolean; offset: number };
      offset = answer.complete ? kept.blob.size : answer.offset;
    }
    await d.delete("photos", hash);
  }
}
