// What the inbox screen fetched last, kept on the device (per person) for when it is opened offline: its list and
// the stand-in form's people. A fresh answer replaces the kept one; without a connection the kept one is shown.
import { api, ApiError } from "../api";

/** GET `path`; offline (no answer at all), what the last successful GET kept under `key`. Other errors throw. */
export async function keptGet<T>(path: string, key: string): Promise<{ data: T; offline: boolean }> {
  try {
    const data = await api.get<T>(path);
    localStorage.setItem(key, JSON.stringify(data));
    return { data, offline: false };
  } catch (e) {
    const cached = localStorage.getItem(key);
    if (e instanceof ApiError && e.status === 0 && cached) return { data: JSON.parse(cached) as T, offline: true };
    throw e;
  }
}
