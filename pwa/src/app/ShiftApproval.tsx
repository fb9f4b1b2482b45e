// The weekly approval (ugegodkendelse), tablet first: every change to the unit's shifts since its last
// approval in one list — who changed what, what the working-time rules found, a leader's override with its
// reason — and one big button that approves them all. Pressing twice is safe; a change made after the list
// was loaded is not approved silently: the server says how many came in and the list is fetched again.
// Opened from the leader's inbox item (#/vagtplan/godkend/<id>).
import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import { lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { locale, str } from "./records";
import { dayName, type Finding, findingText } from "./shiftText";

interface When {
  date: string;
  start: string;
  end: string;
  shift_type?: string;
}

interface Entry {
  kind: string;
  shift: string;
  employee_name: string;
  from_name: string | null;
  when: When;
  was: When | null;
  findings: Finding[];
  override: { reason: string; by_name?: string } | null;
  by_name: string;
  at: string;
}

interface Missing {
  da: string;
  en: string;
}

interface Listed {
  id: string;
  unit: { id: number; name: string };
  week: { iso: string; number: number; first: string; last: string };
  state: string;
  version: number;
  changes: Entry[];
  count: { changes: number; overrides: number };
  approved: { by_name: string; at: string; shifts: number; minutes: number; missing: Missing[] } | null;
  shifts: { id: string; pay: { missing?: Missing[] } | null }[];
  hours: string;
}

const KINDS = {
  created: "sa_kind_created",
  changed: "sa_kind_changed",
  moved: "sa_kind_moved",
  removed: "sa_kind_removed",
  swap: "sa_kind_swap",
  taken: "sa_kind_taken",
} as const;

const said = (m: Missing): string => (lang === "en" ? m.en : m.da);
const when = (w: When): string => `${dayName(w.date)} ${str(w.start)}–${str(w.end)}`;
const stamp = (iso: string): string =>
  new Date(iso).toLocaleString(locale(), { weekday: "short", day: "numeric", month: "numeric", hour: "2-digit", minute: "2-digit" });
const hours = (h: string | number): string => Number(h).toLocaleString(locale(), { maximumFractionDigits: 2 });

function Change({ e }: { e: Entry }) {
  const who = e.from_name ? t("sa_fromTo", { from: e.from_name, to: e.employee_name }) : e.employee_name;
  return (
    <li class={`card sa-change${e.override ? " inbox-flagged" : ""}`}>
      <p class="sa-what">
        <strong>{t(KINDS[e.kind as keyof typeof KINDS] ?? "sa_kind_changed")}</strong>: {who} · {when(e.when)}
        {e.when.shift_type ? ` (${e.when.shift_type})` : ""}
      </p>
      {e.was && <p class="muted">{t("sa_was", { when: when(e.was) })}</p>}
      {e.findings.length > 0 && (
        <ul class="rule-badges" aria-label={t("sa_rules")}>
          {e.findings.map((f) => (
            <li key={f.rule} class="rule-badge">
              {findingText(f)}
            </li>
          ))}
        </ul>
      )}
      {e.override && <p class="mark">{t("sa_override", { name: e.override.by_name ?? "", reason: e.override.reason })}</p>}
      <p class="muted">{t("sa_by", { name: e.by_name || t("sa_someone"), at: stamp(e.at) })}</p>
    </li>
  );
}

export function ShiftApproval({ id }: { me: Me; id: string }) {
  const list = useLoad(() => api.get<Listed>(`/api/shifts/approval/${id}`), [id]);
  const [message, setMessage] = useState("");
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const d = list.data;

  async function approve() {
    if (!d) return;
    setBusy(true);
    setMessage("");
    try {
      await api.post(`/api/shifts/units/${d.unit.id}/approval`, { week: d.week.iso, version: d.version, changes: d.count.changes });
      setMessage(t("sa_done"));
      setStale(false);
      list.reload();
    } catch (e) {
      setMessage(errorText(e));
      setStale(true);
    } finally {
      setBusy(false);
    }
  }

  const title = d ? t("sa_title", { week: d.week.number, unit: d.unit.name }) : t("sa_titleShort");
  const missing = d ? (d.approved?.missing ?? d.shifts.flatMap((s) => s.pay?.missing ?? [])) : [];
  return (
    <Page title={title} back>
      <Status loading={list.loading && !d} error={list.error} onRetry={list.reload} />
      {d && (
        <>
          <p class="sa-summary">
            {t("sa_counts", { n: d.count.changes, overrides: d.count.overrides })} · {t("sa_hours", { hours: hours(d.hours) })}
          </p>
          <p role="status" class={stale ? "error" : ""} data-testid="approval-message">
            {message}
          </p>
          {stale && (
            <button type="button" class="btn btn-big" onClick={() => (setStale(false), setMessage(""), list.reload())}>
              {t("sa_reload")}
            </button>
          )}
          {missing.length > 0 && (
            <div class="card inbox-flagged" role="note">
              <p>
                <strong>{t("sa_missing")}</strong>
              </p>
              <ul>
                {missing.map((m, i) => (
                  <li key={i}>{said(m)}</li>
                ))}
              </ul>
            </div>
          )}
          {d.state === "approved" && d.approved ? (
            <p class="mark" data-testid="approval-done">{t("sa_approvedBy", { name: d.approved.by_name, at: stamp(d.approved.at), shifts: d.approved.shifts })}</p>
          ) : d.state === "waiting" && !stale ? (
            <button type="button" class="btn btn-primary btn-big sa-approve" disabled={busy} aria-busy={busy} onClick={() => void approve()}>
              {t("sa_approveAll", { n: d.count.changes })}
            </button>
          ) : d.state === "none" ? (
            <p>{t("sa_nothing")}</p>
          ) : null}
          <h2>{t("sa_changes")}</h2>
          {d.changes.length ? (
            <ul class="stack sa-list">
              {d.changes.map((e, i) => (
                <Change key={`${e.shift}-${i}`} e={e} />
              ))}
            </ul>
          ) : (
            <p class="muted">{t("sa_noChanges")}</p>
          )}
        </>
      )}
    </Page>
  );
}

/** The weekly approval's lines in the leader's inbox: the week, its counts, and the way to the list. */
export function WeekReview({ fields }: { fields: Record<string, unknown> }) {
  const week = (fields.week ?? {}) as { number?: number };
  const unit = (fields.unit ?? {}) as { name?: string };
  const count = (fields.count ?? {}) as { changes?: number; overrides?: number };
  return (
    <>
      <p class="inbox-line">
        <strong>{t("sa_title", { week: week.number ?? "", unit: unit.name ?? "" })}</strong>
      </p>
      <p>{t("sa_counts", { n: count.changes ?? 0, overrides: count.overrides ?? 0 })}</p>
      {typeof fields.link === "string" && (
        <a class="btn btn-primary btn-big" href={fields.link.replace(/^\//, "")}>
          {t("sa_open")}
        </a>
      )}
    </>
  );
}
