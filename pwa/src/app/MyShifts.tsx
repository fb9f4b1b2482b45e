// "Mine vagter": the employee's own shifts, a week at a time, from the records on the phone (offline too).
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Me } from "../api";
import { feltSync, type LocalRecord } from "../data";
import { t } from "../i18n";
import { errorText, useOnline } from "./hooks";
import { Page } from "./Layout";
import { locale, str, useRecords } from "./records";
import { MyAbsences } from "./MyAbsences";
import { addDays, dayName, findingText, mondayOf, rulesOf, shiftTime } from "./shiftText";

export const SHIFT = "shift";
export const OPEN_SHIFT = "open_shift";
export const SWAP = "swap";

/** Why the buttons that ask the server are off while offline, in words, once above their list (a greyed
 * button alone looks broken). `why` is the text key; `id` ties it to the buttons for screen readers. */
function NeedsNet({ id, why }: { id: string; why: "su_swapNeedsNet" | "su_takeNeedsNet" }) {
  return (
    <p class="note" id={id} data-testid="needs-net">
      {t(why)}
    </p>
  );
}

/** Swaps (vagtbytte) offered to me by colleagues: accepting needs the server (checked by the rules now). */
function OfferedSwaps({ rows }: { rows: LocalRecord[] }) {
  const online = useOnline();
  const [message, setMessage] = useState("");
  if (!rows.length && !message) return null;

  async function accept(id: string) {
    setMessage("");
    try {
      const done = await api.post<{ state: string }>("/api/shifts/swaps/accept", { id });
      setMessage(done.state === "approved" ? t("sh_swapApproved") : t("sh_swapWaits"));
      await feltSync.syncNow();
    } catch (err) {
      setMessage(errorText(err));
    }
  }

  return (
    <section aria-labelledby="sh-swaps-title">
      <h2 id="sh-swaps-title">{t("sh_swapsTitle")}</h2>
      {message && (
        <p role="status" data-testid="swap-message">
          {message}
        </p>
      )}
      {!online && rows.length > 0 && <NeedsNet id="why-accept" why="su_takeNeedsNet" />}
      <ul class="cards" data-testid="offered-swaps">
        {rows.map((r) => {
          const f = (r.fields.summary ?? {}) as Record<string, unknown>;
          return (
            <li key={r.id} class="card">
              <p class="person-name">
                {dayName(str(f.date))} · {shiftTime(f)}
              </p>
              <p>{str(f.shift_type)}</p>
              <button
                type="button"
                class="btn btn-primary btn-big"
                disabled={!online}
                aria-describedby={online ? undefined : "why-accept"}
                onClick={() => void accept(r.id)}
              >
                {online ? t("sh_takeOver") : t("sh_takeOffline")}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface Balance {
  first: string;
  last: string;
  balance: number;
  /** Worked and credited so far less the norm of the days before today: what "now" means (service.balances). */
  balance_so_far?: number;
  projected: number;
  band: number;
  outside_band: boolean;
}

const hours = (minutes: number): string =>
  `${minutes > 0 ? "+" : minutes < 0 ? "−" : ""}${(Math.abs(minutes) / 60).toLocaleString(locale(), { maximumFractionDigits: 1 })}`;

/** My norm balance: fetched when online, the last one kept on the phone for offline reading. */
function MyBalance({ me }: { me: Me }) {
  const key = `felt.shifts.balance.${me.id}`;
  const [balance, setBalance] = useState<Balance | null>(() => {
    try {
      return JSON.parse(localStorage.getItem(key) ?? "null") as Balance | null;
    } catch {
      return null;
    }
  });
  const online = useOnline();
  useEffect(() => {
    if (!online) return;
    api.get<Balance>("/api/shifts/balance").then(
      (b) => {
        setBalance(b);
        localStorage.setItem(key, JSON.stringify(b));
      },
      () => undefined, // offline or refused: the kept one stands
    );
  }, [online, key]);
  if (!balance) return null;
  const now = balance.balance_so_far ?? balance.balance; // a balance kept before the field existed: the old figure
  return (
    // Red only for what has happened (outside the band so far); the end is the plan so far, which a planner
    // fills in: a short plan is said in words, not shown as the employee's fault.
    <p class={Math.abs(now) > balance.band ? "error" : ""} data-testid="my-balance">
      {t("sh_myBalance", {
        first: dayName(balance.first),
        last: dayName(balance.last),
        now: hours(now),
        end: hours(balance.projected),
        band: hours(balance.band).replace("+", "±"),
      })}
      {balance.projected < -balance.band && ` ${t("tq_notPlannedYet")}`}
    </p>
  );
}

/** Offer one of my shifts to the team: only colleagues who may take it are offered it. */
function SwapButton({ shift, swaps, whyId }: { shift: LocalRecord; swaps: LocalRecord[]; whyId: string }) {
  const online = useOnline();
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  // One id per offer on this screen: pressing twice (or again after a lost answer) offers it once.
  const [id] = useState(() => feltSync.newId());
  const mine = swaps.find((s) => s.fields.shift === shift.id && ["offered", "accepted"].includes(s.state ?? ""));
  async function offer() {
    setError("");
    setBusy(true);
    try {
      const done = await api.post<{ offered: number[] }>("/api/shifts/swaps", { id, shift: shift.id });
      setMessage(t("sh_swapOffered", { count: done.offered.length }));
      await feltSync.syncNow();
    } catch (err) {
      setError(errorText(err)); // said in words; the button stays for another try
    } finally {
      setBusy(false);
    }
  }
  if (mine) return <p class="muted">{t("sh_swapState", { state: mine.state === "accepted" ? t("sh_swapStateAccepted") : t("sh_swapStateOffered") })}</p>;
  return (
    <>
      {message ? (
        <p role="status">{message}</p>
      ) : (
        <>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button
            type="button"
            class="btn btn-big"
            disabled={!online || busy}
            aria-describedby={online ? undefined : whyId}
            onClick={() => void offer()}
          >
            {t("sh_offerSwap")}
          </button>
        </>
      )}
    </>
  );
}

// Open shifts I asked to take while offline, kept on the device (per person) until the server has answered.
const takeKey = (me: Me) => `felt.shifts.take.v1.${me.id}`;
const wanted = (me: Me): string[] => {
  try {
    const ids = JSON.parse(localStorage.getItem(takeKey(me)) ?? "[]") as unknown;
    return Array.isArray(ids) ? ids.map(String) : [];
  } catch {
    return [];
  }
};
const keepWanted = (me: Me, ids: string[]) =>
  ids.length ? localStorage.setItem(takeKey(me), JSON.stringify(ids)) : localStorage.removeItem(takeKey(me));

/** Open shifts (ledige vagter) offered to me. Taking one is decided by the server (the rules now, and the first
 * valid taker gets it); offline, the wish is kept on the phone and sent as soon as there is a connection. */
function OpenShifts({ rows, me }: { rows: LocalRecord[]; me: Me }) {
  const online = useOnline();
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState("");
  const [waiting, setWaiting] = useState(() => wanted(me));

  async function send(id: string): Promise<boolean> {
    try {
      await api.post("/api/shifts/open/take", { id }); // safe twice: taking what is mine already answers "mine"
      setMessage(t("sh_taken"));
      await feltSync.syncNow();
    } catch (err) {
      if (err instanceof ApiError && err.status === 0) return false; // still no connection: keep the wish
      setMessage(errorText(err));
    }
    return true;
  }

  useEffect(() => {
    if (!online || !waiting.length) return;
    void (async () => {
      for (const id of waiting) {
        if (!(await send(id))) return;
        const left = wanted(me).filter((x) => x !== id);
        keepWanted(me, left);
        setWaiting(left);
      }
    })();
  }, [online]);

  if (!rows.length && !message) return null;

  async function take(id: string) {
    setMessage("");
    if (!online) {
      const ids = [...wanted(me).filter((x) => x !== id), id];
      keepWanted(me, ids);
      setWaiting(ids);
      setMessage(t("tq_takeQueued"));
      return;
    }
    setBusy(id);
    await send(id);
    setBusy("");
  }

  return (
    <section aria-labelledby="sh-open-title">
      <h2 id="sh-open-title">{t("sh_openTitle")}</h2>
      {message && (
        <p role="status" data-testid="take-message">
          {message}
        </p>
      )}
      <ul class="cards" data-testid="open-shifts">
        {rows.map((r) => (
          <li key={r.id} class="card">
            <p class="person-name">
              {dayName(str(r.fields.date))} · {shiftTime(r.fields)}
            </p>
            <p>{str(r.fields.shift_type)}</p>
            {r.state !== "open" ? (
              <p class="muted">{t("sh_goneToOther")}</p>
            ) : waiting.includes(r.id) ? (
              <p class="note" data-testid="take-waiting">
                {t("tq_takeWaiting")}
              </p>
            ) : (
              <button type="button" class="btn btn-primary btn-big" disabled={busy === r.id} onClick={() => void take(r.id)}>
                {online ? t("sh_take") : t("tq_takeOffline")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The last day of `first`'s month (ISO dates). */
function monthEnd(first: string): string {
  const d = new Date(`${first}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.toISOString().slice(0, 10);
}

/** The first day of the month `n` months from `first`'s. */
function addMonths(first: string, n: number): string {
  const d = new Date(`${first}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n, 1);
  return d.toISOString().slice(0, 10);
}

export function MyShifts({ me }: { me: Me }) {
  const online = useOnline();
  const rows = useRecords(SHIFT);
  const open = useRecords(OPEN_SHIFT);
  const swaps = useRecords(SWAP) ?? [];
  const today = feltSync.fields.today();
  // A week at a time, or the whole month (the issue: "my shifts, week and month").
  const [span, setSpan] = useState<"week" | "month">("week");
  const [anchor, setAnchor] = useState(() => mondayOf(feltSync.fields.today()));
  const first = span === "week" ? mondayOf(anchor) : `${anchor.slice(0, 8)}01`;
  const last = span === "week" ? addDays(first, 6) : monthEnd(first);
  // The week that holds today opens today's month (a week may begin in the month before); back to weeks, the
  // month's first week (or this week, in this month).
  const show = (k: "week" | "month") => {
    const day = today >= first && today <= last ? today : first;
    setAnchor(k === "week" ? mondayOf(day) : day);
    setSpan(k);
  };
  const step = (n: number) => setAnchor(span === "week" ? addDays(first, 7 * n) : addMonths(first, n));
  // Planners also hold their units' shifts on the device: "mine" are those about me.
  const mine = (rows ?? [])
    .filter((r) => String(r.owner_id) === String(me.id))
    .filter((r) => str(r.fields.date) >= first && str(r.fields.date) <= last)
    .sort((a, b) => `${str(a.fields.date)} ${str(a.fields.start)}`.localeCompare(`${str(b.fields.date)} ${str(b.fields.start)}`));
  const hours = mine.reduce((n, r) => n + (Number((r.fields.clock as { paid_minutes?: number } | undefined)?.paid_minutes) || 0), 0) / 60;
  const offered = (open ?? [])
    .filter((r) => str(r.fields.date) >= today && !(r.state === "taken" && String((r.fields.taken as { by?: unknown } | undefined)?.by) === String(me.id)))
    .sort((a, b) => `${str(a.fields.date)} ${str(a.fields.start)}`.localeCompare(`${str(b.fields.date)} ${str(b.fields.start)}`));
  return (
    <Page title={t("sh_mine")} back>
      <MyBalance me={me} />
      <MyAbsences me={me} today={today} />
      <OpenShifts rows={offered} me={me} />
      <OfferedSwaps rows={swaps.filter((s) => s.state === "offered" && String(s.owner_id) !== String(me.id))} />
      <div class="row" role="group" aria-label={t("tq_span")}>
        {(["week", "month"] as const).map((k) => (
          <button key={k} type="button" class={`btn btn-small ${span === k ? "btn-primary" : ""}`} aria-pressed={span === k} onClick={() => show(k)}>
            {t(k === "week" ? "tq_week" : "tq_month")}
          </button>
        ))}
      </div>
      <div class="row month-nav">
        <button type="button" class="btn btn-small" aria-label={t(span === "week" ? "sh_prevWeek" : "tq_prevMonth")} onClick={() => step(-1)}>
          ←
        </button>
        <h2 class="month-name" aria-live="polite">
          {span === "week" ? `${dayName(first)} – ${dayName(last)}` : new Date(`${first}T12:00:00Z`).toLocaleDateString(locale(), { month: "long", year: "numeric" })}
        </h2>
        <button type="button" class="btn btn-small" aria-label={t(span === "week" ? "sh_nextWeek" : "tq_nextMonth")} onClick={() => step(1)}>
          →
        </button>
      </div>
      {rows == null ? (
        <p class="muted">{t("loading")}</p>
      ) : !mine.length ? (
        <p>{t(span === "week" ? "sh_noneThisWeek" : "tq_noneThisMonth")}</p>
      ) : (
        <>
          {!online && mine.some((r) => str(r.fields.date) >= today) && <NeedsNet id="why-swap" why="su_swapNeedsNet" />}
          <ul class="cards" data-testid="my-shifts">
            {mine.map((r) => {
              const { override } = rulesOf(r.fields);
              return (
                <li key={r.id} class="card">
                  <p class="person-name">
                    {dayName(str(r.fields.date))} · {shiftTime(r.fields)}
                  </p>
                  <p>{str(r.fields.shift_type)}</p>
                  {override && <p class="muted">{t("sh_overridden", { reason: override.reason })}</p>}
                  {!override && rulesOf(r.fields).findings.map((x) => <p class="muted">{findingText(x)}</p>)}
                  {str(r.fields.date) >= today && <SwapButton shift={r} swaps={swaps.filter((s) => String(s.owner_id) === String(me.id))} whyId="why-swap" />}
                </li>
              );
            })}
          </ul>
          <p>{t(span === "week" ? "sh_weekHours" : "tq_monthHours", { hours: hours.toLocaleString(locale()) })}</p>
        </>
      )}
    </Page>
  );
}
