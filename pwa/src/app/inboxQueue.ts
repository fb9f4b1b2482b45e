// The leader's decisions made offline: kept on the device and sent when the connection is back. Each carries
// the version of the item the leader saw; the server applies none whose item has changed since (it answers
// "conflict": "ændret siden du så den"), so a queued approval never approves something the leader has not seen.
import { api } from "../api";

export interface Decision {
  type: string;
  transition: string;
  id: string;
  version: number;
  note?: string;
  /** What the leader saw, to name the item in the answer ("10.03.2025 · Møde", Anna). */
  title: string;
}

export interface Answer {
  decision: Decision;
  status: string;
  reason?: string;
  reason_en?: string;
}

interface Result {
  n: number;
  status: string;
  reason?: string;
  reason_en?: string;
}

const key = (userId: string | number): string => `felt.inbox.queue.v1.${userId}`;

export function queued(userId: string | number): Decision[] {
  try {
    const list = JSON.parse(localStorage.getItem(key(userId)) ?? "[]") as Decision[];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function save(userId: string | number, list: Decision[]): void {
  if (list.length) localStorage.setItem(key(userId), JSON.stringify(list));
  else localStorage.removeItem(key(userId));
}

export function enqueue(userId: string | number, decisions: Decision[]): void {
  const ids = new Set(decisions.map((d) => d.id));
  save(userId, [...queued(userId).filter((d) => !ids.has(d.id)), ...decisions]);
}

let sending: Promise<Answer[]> | null = null;

/** Send what is queued, one request per type, transition and reason; what could not be sent stays queued. */
export function flush(userId: string | number): Promise<Answer[]> {
  sending ??= (async () => {
    const answers: Answer[] = [];
    const groups = new Map<string, Decision[]>();
    for (const d of queued(userId)) {
      const k = `${d.type}|${d.transition}|${d.note ?? ""}`;
      groups.set(k, [...(groups.get(k) ?? []), d]);
    }
    for (const group of groups.values()) {
      const { type, transition, note } = group[0];
      const seen = Object.fromEntries(group.map((d) => [d.id, d.version]));
      let results: Result[];
      try {
        results = await api.post<Result[]>(`/api/inbox/${type}/${transition}`, { ids: group.map((d) => d.id), note, seen });
      } catch {
        break; // still offline (or the server is away): keep the rest for the next try
      }
      const sent = new Set(group.map((d) => d.id));
      save(userId, queued(userId).filter((d) => !sent.has(d.id)));
      results.forEach((r) => answers.push({ decision: group[r.n - 1], status: r.status, reason: r.reason, reason_en: r.reason_en }));
    }
    return answers;
  })().finally(() => {
    sending = null;
  });
  return sending;
}
