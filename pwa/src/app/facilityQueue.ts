// Reports made from a room's QR code without log-in: kept on the phone (localStorage) until the door takes
// them, then followed by a private link whose secret never leaves this phone except to register it.
// The door (POST /api/doors/facility_report/{code}) is not the signed-in sync outbox: a reporter may have no
// account, so this small queue is its own, and resending the same id creates nothing new on the server.
import { api, ApiError } from "../api";
import { forget, sendPhotos } from "./facilityPhotos";
import { cachedMe } from "./session";

export interface RoomInfo {
  code: string;
  building: string;
  room: string;
  categories: { key: string; da: string; en: string }[];
  open: { id: string; category: string; state: string; reported_at: string; text: string }[];
  /** Opened signed in (GET /api/facility/rooms/{code}): the report is sent as oneself. */
  signedIn?: boolean;
}

export interface Waiting {
  id: string;
  code: string;
  fields: Record<string, unknown>;
  secret: string;
  building: string;
  room: string;
  savedAt: string;
  error?: string;
  /** Sent as the signed-in person (a building closed to reports without log-in, or simply logged in). */
  signedIn?: boolean;
}

export interface Mine {
  id: string;
  secret: string;
  building: string;
  room: string;
  at: string;
}

const OUTBOX = "felt.facility.outbox";
const MINE = "felt.facility.mine";
const ROOMS = "felt.facility.rooms";

function read<T>(key: string, empty: T): T {
  try {
    return (JSON.parse(localStorage.getItem(key) ?? "null") as T | null) ?? empty;
  } catch {
    return empty;
  }
}
const write = (key: string, value: unknown) => localStorage.setItem(key, JSON.stringify(value));

/** A private link's secret: 144 random bits, base64url (the server keeps only its hash). */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export const waiting = (): Waiting[] => read<Waiting[]>(OUTBOX, []);
export const mine = (): Mine[] => read<Mine[]>(MINE, []);

/** The room a code opened last time, for a scan while offline. */
export const cachedRoom = (code: string): RoomInfo | null => read<Record<string, RoomInfo>>(ROOMS, {})[code] ?? null;

/** What a code opens now (and remembered for offline use); throws ApiError (410: replaced, 404: unknown,
 * 401: the building takes reports from people who are logged in only). Signed in when someone is. */
export async function loadRoom(code: string): Promise<RoomInfo> {
  let info: RoomInfo | null = null;
  if (cachedMe()) {
    try {
      info = { ...(await api.get<RoomInfo>(`/api/facility/rooms/${encodeURIComponent(code)}`)), signedIn: true };
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 401 || e.status === 404))) throw e;
    }
  }
  info ??= await api.get<RoomInfo>(`/api/facility/public/rooms/${encodeURIComponent(code)}`);
  write(ROOMS, { ...read<Record<string, RoomInfo>>(ROOMS, {}), [code]: info });
  return info;
}

/** Keep a report (or a follow of an existing one, when `fields` is null) to send when online. */
export function enqueue(item: Waiting): void {
  write(OUTBOX, [...waiting().filter((w) => w.id !== item.id), item]);
}

const listeners = new Set<() => void>();
export function onQueueChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
const changed = () => listeners.forEach((fn) => fn());

let flushing: Promise<void> | null = null;

/** Send what waits, oldest first; stops at the first network failure (kept for the next try). */
export function flush(): Promise<void> {
  if (!navigator.onLine) return Promise.resolve();
  // Assigned before it settles (`finally` runs later), so one flush at a time.
  flushing ??= send().finally(() => {
    flushing = null;
    changed();
  });
  return flushing;
}

async function send(): Promise<void> {
  for (const item of waiting()) {
    if (item.error) continue;
    try {
      const code = encodeURIComponent(item.code);
      if (Object.keys(item.fields).length) {
        const made = await api.post<{ status: string; reason?: string; reason_en?: string }>(
          item.signedIn ? `/api/facility/rooms/${code}/report` : `/api/doors/facility_report/${code}`,
          { id: item.id, fields: item.fields },
        );
        if (made.status !== "applied") {
          enqueue({ ...item, error: made.reason ?? made.status });
          continue;
        }
      }
      await api.post(item.signedIn ? `/api/facility/rooms/${code}/follow` : `/api/facility/public/rooms/${code}/follow`, {
        report_id: item.id,
        secret: item.secret,
      });
      const photos = Array.isArray(item.fields.photos) ? (item.fields.photos as string[]) : [];
      try {
        await sendPhotos(item.id, item.secret, photos);
      } catch (e) {
        // Offline again: the photos wait with the report. Refused for good (too large, not an image): let go.
        if (e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500)) throw e;
        await forget(photos);
      }
      write(MINE, [
        { id: item.id, secret: item.secret, building: item.building, room: item.room, at: item.savedAt },
        ...mine().filter((m) => m.id !== item.id),
      ]);
      write(OUTBOX, waiting().filter((w) => w.id !== item.id));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500)) break;
      enqueue({ ...item, error: e instanceof Error ? e.message : String(e) });
    }
    changed();
  }
}

/** The private link of a report this phone made or follows. */
export const receiptRoute = (m: { id: string; secret: string }): string => `kvittering/${m.id}/${m.secret}`;
