// Small fetch wrapper for the Felt backend: JSON in and out, CSRF header, errors carry the server's `detail`.
import { lang } from "./i18n";

export interface Me {
  id: number | string;
  name: string;
  email: string | null;
  employee_number: string | null;
  municipality: { id: number | string; slug: string; name: string; payroll_cutoff_day?: number };
  unit: { id: number | string; name: string } | null;
  roles: Grant[];
  areas: string[];
  /** Signed in with a one-time code as an invited outsider: only her own hours. */
  invited?: boolean;
}

export interface Municipality {
  slug: string;
  name: string;
  has_oidc: boolean;
}

export interface DemoUser {
  id: number | string;
  name: string;
  municipality: string;
  unit: string | null;
  roles: string[];
}

export interface Unit {
  id: number | string;
  name: string;
  parent_id?: number | string | null;
}

export interface Grant {
  role: string;
  unit_id: number | string | null;
  unit_name: string | null;
}

export interface StaffMember {
  id: number | string;
  name: string;
  email?: string | null;
  employee_number?: string | null;
  active?: boolean;
  roles?: Grant[];
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged?: number;
  deactivated: number;
  errors: { line: number; message: string; message_en?: string }[];
  notes?: string[];
}

export interface AuditEntry {
  id: number | string;
  at: string;
  actor_name: string | null;
  action: string;
  entity: string;
  entity_id: number | string | null;
  changes: unknown;
  /** What the record is, in words (its date and purpose; a user's name), and whose it is. */
  about?: string | null;
  about_en?: string | null;
  whose?: string | null;
}

/** status 0 means the request never reached the server (offline, DNS, server down). */
export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function cookie(name: string): string | null {
  const m = document.cookie.match(new RegExp(`(?:^|;\\s*)${name}=([^;]*)`));
  return m ? decodeURIComponent(m[1]) : null;
}

async function send(method: string, path: string, body?: BodyInit, type?: string): Promise<Response> {
  // The server words its error `detail` in Danish, or in English when asked.
  const headers: Record<string, string> = { accept: "application/json", "accept-language": lang };
  if (type) headers["content-type"] = type;
  if (UNSAFE.has(method)) {
    // The server sets the CSRF cookie on any GET; fetch one if this is the first request.
    if (!cookie("csrftoken")) await fetch("/api/health", { credentials: "same-origin" }).catch(() => undefined);
    headers["x-csrftoken"] = cookie("csrftoken") ?? "";
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network");
  }
  if (!res.ok) {
    let detail = res.statusText || `HTTP ${res.status}`;
    try {
      const data = (await res.json()) as { detail?: unknown };
      if (typeof data.detail === "string" && data.detail) detail = data.detail;
    } catch {
      // Not JSON (e.g. a proxy's HTML error page): keep the status text.
    }
    throw new ApiError(res.status, detail);
  }
  return res;
}

async function json<T>(res: Response): Promise<T> {
  return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
}

/** A request with an optional JSON body. */
const withJson =
  (method: string) =>
  async <T>(path: string, data?: unknown): Promise<T> =>
    data === undefined
      ? json<T>(await send(method, path))
      : json<T>(await send(method, path, JSON.stringify(data), "application/json"));

export const api = {
  get: async <T>(path: string) => json<T>(await send("GET", path)),
  post: withJson("POST"),
  put: withJson("PUT"),
  delete: async <T>(path: string) => json<T>(await send("DELETE", path)),
  postText: async <T>(path: string, text: string, type: string) => json<T>(await send("POST", path, text, type)),
};
