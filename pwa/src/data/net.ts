// HTTP for the sync engine: the schema header, the CSRF header, same-origin cookies, time-outs.
import { sessionGet, sessionSet } from "./db";

/** The client's schema version (X-Felt-Schema): bump when the client reads or writes records differently. */
export const SCHEMA = 1;
const CSRF_COOKIE = "csrftoken";

/** The server answered with an error status. */
export class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request never got an answer (offline, server down, time-out). */
export class NetworkError extends Error {}

let lang = "da";

/** The language of the server's reasons (a rejected change says why in Danish or English). */
export function setLanguage(next: string): void {
  if (next === lang) return;
  lang = next;
  void sessionSet("lang", next).catch(() => undefined);
}

export async function language(): Promise<string> {
  if (!("document" in globalThis)) lang = (await sessionGet<string>("lang").catch(() => undefined)) ?? lang;
  return lang;
}

function readCookie(): string | null {
  const jar = (globalThis as { document?: { cookie: string } }).document?.cookie ?? "";
  const m = jar.match(new RegExp(`(?:^|;\\s*)${CSRF_COOKIE}=([^;]*)`));
  return m ? decodeURIComponent(m[1]) : null;
}

/**
 * The CSRF token: the cookie in the page; in the service worker (no document.cookie) the Cookie Store
 * API where there is one, else the token the page last saw.
 */
async function csrfToken(): Promise<string> {
  if ("document" in globalThis) {
    // The server sets the cookie on any GET; fetch one if this is the first request.
    if (!readCookie()) await fetch("/api/health", { credentials: "same-origin" }).catch(() => undefined);
    const token = readCookie() ?? "";
    if (token) void sessionSet("csrf", token).catch(() => undefined);
    return token;
  }
  const store = (globalThis as { cookieStore?: { get(name: string): Promise<{ value: string } | null> } })
    .cookieStore;
  if (store) {
    const c = await store.get(CSRF_COOKIE).catch(() => null);
    if (c?.value) return c.value;
  }
  return (await sessionGet<string>("csrf").catch(() => undefined)) ?? "";
}

const SAFE = new Set(["GET", "HEAD"]);

export interface RequestOptions {
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Statuses that are answers, not errors (e.g. 404 for a blob the server does not have yet). */
  accept?: number[];
  timeoutMs?: number;
}

export async function request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    accept: "application/json",
    "accept-language": await language(),
    "x-felt-schema": String(SCHEMA),
    ...opts.headers,
  };
  if (!SAFE.has(method)) headers["x-csrftoken"] = await csrfToken();
  let body = opts.body;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs ?? 30_000);
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: "same-origin", cache: "no-store", signal: abort.signal });
  } catch (e) {
    throw new NetworkError(e instanceof Error ? e.message : "network");
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok && !opts.accept?.includes(res.status)) {
    let detail = res.statusText || `HTTP ${res.status}`;
    if (method !== "HEAD") {
      try {
        const data = (await res.json()) as { detail?: unknown };
        if (typeof data.detail === "string" && data.detail) detail = data.detail;
      } catch {
        // Not JSON (a proxy's error page): keep the status text.
      }
    }
    throw new HttpError(res.status, detail);
  }
  return res;
}
