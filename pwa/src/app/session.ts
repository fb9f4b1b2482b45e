import { api, ApiError, type Me } from "../api";

// The last /api/me answer, so the home screen still opens offline.
const KEY = "felt.me";

export function cachedMe(): Me | null {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "null") as Me | null;
  } catch {
    return null;
  }
}

function remember(me: Me | null): void {
  if (me) localStorage.setItem(KEY, JSON.stringify(me));
  else localStorage.removeItem(KEY);
}

export type Session = { me: Me; stale: boolean } | null;

/** Who is logged in: null when not logged in; the cached user (stale) when the server can't be reached. */
export async function loadSession(): Promise<Session> {
  try {
    const me = await api.get<Me>("/api/me");
    remember(me);
    return { me, stale: false };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      remember(null);
      return null;
    }
    const cached = cachedMe();
    if (cached && e instanceof ApiError && (e.status === 0 || e.status >= 500)) return { me: cached, stale: true };
    throw e;
  }
}

export async function logout(): Promise<void> {
  await api.post<void>("/auth/logout");
  remember(null);
}
