// Photos: downsized and hashed on the phone; the record's field holds the SHA-256, the bytes are
// uploaded by the sync loop before the changes that refer to them.
import { notify, open } from "./bus";
import { now } from "./local";

const MAX_SIDE = 2000;
const THUMB_SIDE = 320;
const QUALITY = 0.85;

type Canvas2D = { drawImage(img: ImageBitmap, x: number, y: number, w: number, h: number): void };

async function encode(img: ImageBitmap, max: number, quality: number): Promise<Blob> {
  const scale = Math.min(1, max / Math.max(img.width, img.height));
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  if (typeof OffscreenCanvas === "function") {
    const canvas = new OffscreenCanvas(w, h);
    (canvas.getContext("2d") as unknown as Canvas2D).drawImage(img, 0, 0, w, h);
    return canvas.convertToBlob({ type: "image/jpeg", quality });
  }
  // Safari before 16.4 has no OffscreenCanvas: a detached <canvas> in the page.
  const doc = (globalThis as { document?: { createElement(tag: "canvas"): HTMLCanvasElement } }).document;
  if (!doc) throw new Error("no canvas");
  const canvas = doc.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  (canvas.getContext("2d") as unknown as Canvas2D).drawImage(img, 0, 0, w, h);
  return new Promise((ok, fail) =>
    canvas.toBlob((b) => (b ? ok(b) : fail(new Error("toBlob"))), "image/jpeg", quality),
  );
}

async function bitmap(file: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return createImageBitmap(file);
  }
}

export async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Downsizes a photo (longest side 2000 px, JPEG 0.85; this also drops its EXIF data such as GPS),
 * keeps it for upload with a 320 px thumbnail, and returns its SHA-256 to put in a record's field.
 */
export async function addPhoto(file: Blob): Promise<string> {
  const img = await bitmap(file);
  let blob: Blob;
  let thumb: Blob;
  try {
    blob = await encode(img, MAX_SIDE, QUALITY);
    thumb = await encode(img, THUMB_SIDE, 0.7);
  } finally {
    img.close();
  }
  const hash = await sha256(blob);
  const { db } = await open();
  const tx = db.transaction("blobs", "readwrite");
  const had = await tx.store.get(hash);
  if (!had)
    await tx.store.put({
      sha256: hash,
      blob,
      thumb,
      size: blob.size,
      type: blob.type || "image/jpeg",
      offset: 0,
      uploaded: false,
      at: now(),
    });
  await tx.done;
  notify("local");
  return hash;
}

/** The photo as this phone has it: the original until uploaded, then the thumbnail; null if neither. */
export async function photo(hash: string, opts: { thumb?: boolean } = {}): Promise<Blob | null> {
  const { db } = await open();
  const b = await db.get("blobs", hash);
  if (!b) return null;
  return (opts.thumb ? (b.thumb ?? b.blob) : (b.blob ?? b.thumb)) ?? null;
}

/** Where the server serves a photo (to the uploader and to anyone who may see a record with it). */
export const photoUrl = (hash: string): string => `/api/sync/blobs/${encodeURIComponent(hash)}`;
