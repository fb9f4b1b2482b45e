// Photos: downsized and hashed on the phone; the record's field holds the SHA-256, the bytes are
// uploaded by the sync loop before the changes that refer to them.
import { notify, open } from "./bus";
import { now } from "./local";

const MAX_SIDE = 2000;
const THUMB_SIDE = 320;
const QUALITY = 0.85;

type Canvas2D = { drawImage(img: ImageBitmap, x: number, y: number, w: number, h: number): void };

export async function encode(img: ImageBitmap, max: number, quality: number): Promise<Blob> {
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

export async function bitmap(file: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return createImageBitmap(file);
  }
}

/** Why a file cannot be kept as a receipt: not an image or a PDF, an image that will not open, too big. */
export class FileRefused extends Error {
  constructor(readonly reason: "type" | "damaged" | "size") {
    super(reason);
  }
}

/** The server's limit for one file (sync/blobs.py MAX_BLOB_BYTES). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
const HEIC_BRANDS = ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"];

/** The file's type from its first bytes, as the server decides it (backend/features/sync/photos.py). */
export async function sniff(file: Blob): Promise<"image/jpeg" | "image/png" | "image/heic" | "application/pdf" | null> {
  const b = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const text = (from: number, to: number) => String.fromCharCode(...b.slice(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (text(0, 8) === "\x89PNG\r\n\x1a\n") return "image/png";
  if (text(4, 8) === "ftyp" && HEIC_BRANDS.includes(text(8, 12))) return "image/heic";
  if (text(0, 5) === "%PDF-") return "application/pdf";
  return null;
}

async function store(hash: string, blob: Blob, thumb: Blob | null, type: string): Promise<void> {
  const { db } = await open();
  const tx = db.transaction("blobs", "readwrite");
  const had = await tx.store.get(hash);
  if (!had)
    await tx.store.put({ sha256: hash, blob, thumb, size: blob.size, type, offset: 0, uploaded: false, at: now() });
  await tx.done;
  notify("local");
}

/** A file this browser cannot draw (an iPhone's HEIC photo elsewhere than Safari, a PDF e-receipt) is
 * kept and sent as it is: the server turns HEIC into JPEG and reads a PDF's first page. */
async function keepOriginal(file: Blob): Promise<string> {
  const kind = await sniff(file);
  if (kind !== "image/heic" && kind !== "application/pdf") throw new FileRefused(kind ? "damaged" : "type");
  if (file.size > MAX_FILE_BYTES) throw new FileRefused("size");
  const blob = new Blob([file], { type: kind });
  const hash = await sha256(blob);
  await store(hash, blob, null, kind);
  return hash;
}

export async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Downsizes a photo (longest side 2000 px, JPEG 0.85; this also drops its EXIF data such as GPS),
 * keeps it for upload with a 320 px thumbnail, and returns its SHA-256 to put in a record's field.
 * A HEIC photo this browser cannot draw, or a PDF, is kept as it is (no thumbnail); anything else
 * raises FileRefused ("type": neither an image nor a PDF, "damaged", "size": over 25 MB).
 */
export async function addPhoto(file: Blob): Promise<string> {
  let img: ImageBitmap;
  try {
    img = await bitmap(file);
  } catch {
    return keepOriginal(file); // raises FileRefused when it is neither a photo nor a PDF
  }
  let blob: Blob;
  let thumb: Blob;
  try {
    blob = await encode(img, MAX_SIDE, QUALITY);
    thumb = await encode(img, THUMB_SIDE, 0.7);
  } finally {
    img.close();
  }
  const hash = await sha256(blob);
  await store(hash, blob, thumb, blob.type || "image/jpeg");
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
