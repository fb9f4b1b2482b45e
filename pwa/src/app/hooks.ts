import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { t } from "../i18n";

/** navigator.onLine, kept current by the online/offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    addEventListener("online", update);
    addEventListener("offline", update);
    return () => {
      removeEventListener("online", update);
      removeEventListener("offline", update);
    };
  }, []);
  return online;
}

// Hash routes ("#/profile") work offline with no server help. Other hashes (e.g. "#main") are not routes.
function readRoute(): string {
  const h = location.hash;
  return h.startsWith("#/") ? h.slice(2).split("?")[0] : "";
}

export function useRoute(): string {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const update = () => setRoute(readRoute());
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

export function go(route: string): void {
  location.hash = `#/${route}`;
}

/** The text to show a user for a failed request: the server's `detail`, or a plain offline note. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.status === 0 ? t("errorNetwork") : e.message;
  return t("errorGeneric");
}

export interface Loaded<T> {
  data?: T;
  error: string;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change; ignores answers that arrive after a newer request started. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error: string; loading: boolean }>({ error: "", loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, error: "", loading: true }));
    load().then(
      (data) => current && setState({ data, error: "", loading: false }),
      (e: unknown) => current && setState({ error: errorText(e), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
