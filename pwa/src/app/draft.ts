// A form's draft kept on the phone (data/drafts.ts): what was typed is still there after a reload or an
// app restart. Reusable by any form: read once when it opens, written on every change, cleared on save.
import { useEffect, useRef, useState } from "preact/hooks";
import { feltSync } from "../data";

export interface Draft<T> {
  /** The stored draft has been read (undefined: there was none). */
  loaded: boolean;
  /** What was kept when the form opened. */
  kept: T | undefined;
  /** Keep `value` as the draft (each write replaces the one before, in order). */
  keep: (value: T) => void;
  /** Forget the draft: after saving the record, or "Start again". */
  clear: () => Promise<void>;
}

/** The draft named `name` ("trip", "receipt"); `null` for a form that keeps none (e.g. editing a saved record). */
export function useDraft<T>(name: string | null): Draft<T> {
  const [state, setState] = useState<{ for: string | null; kept: T | undefined }>({ for: null, kept: undefined });
  // Writes go one after another, so a slow earlier write never lands after a later one or after clear().
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const then = (step: () => Promise<unknown>) => (queue.current = queue.current.then(step).catch(() => undefined));

  useEffect(() => {
    if (!name) return;
    let alive = true;
    feltSync.drafts
      .get<T>(name)
      .catch(() => undefined)
      .then((kept) => alive && setState({ for: name, kept }));
    return () => {
      alive = false;
    };
  }, [name]);

  return {
    loaded: !name || state.for === name,
    kept: state.for === name ? state.kept : undefined,
    keep: (value) => name && void then(() => feltSync.drafts.set(name, value)),
    clear: async () => {
      if (name) await then(() => feltSync.drafts.clear(name));
    },
  };
}
