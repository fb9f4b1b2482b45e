// Central payroll: export the approved wage lines of a payroll month (each line once, ever; a month once),
// download any export again exactly as it was, and see who is not approved yet before the next cut-off.
import { useRef, useState } from "preact/hooks";
import { feltSync } from "../data";
import { api } from "../api";
import { formatDateTime, label, lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { fmtKr, monthName, showDate } from "./records";

interface Exports {
  exports: {
    id: number;
    period: string;
    filename: string;
    line_count: number;
    total: string;
    created_at: string;
    paid_at: string | null;
  }[];
  pending: { period: string; lines: number; total: string; cutoff: string }[];
  /** The salary run to export next, and its cut-off. */
  next_period: string;
  next_cutoff: string;
}

interface Made {
  filename: string;
  /** False: the month had been exported already (a double click, a retry); nothing new was made. */
  created: boolean;
  detail: string;
  detail_en: string;
}

interface Count {
  record_type: string;
  waiting: number;
  drafts: number;
}

interface Unapproved {
  cutoff: string;
  people: { user_id: number; name: string; waiting: number; drafts: number; counts: Count[] }[];
}

const COUNT_WORDS = {
  trip: ["pl_trip_one", "pl_trip_other"],
  receipt: ["pl_receipt_one", "pl_receipt_other"],
} as const;

/** "3 ture, 1 udlæg": each kind of item named; a kind without words here by its type's name. */
function countsText(counts: Count[], pick: "waiting" | "drafts"): string {
  return counts
    .filter((c) => c[pick] > 0)
    .map((c) => {
      const n = c[pick];
      const words = COUNT_WORDS[c.record_type as keyof typeof COUNT_WORDS];
      return words ? t(words[n === 1 ? 0 : 1], { n }) : `${n} × ${label("type", c.record_type)}`;
    })
    .join(", ");
}

function personLine(p: Unapproved["people"][number]): string {
  const parts = [];
  if (p.waiting) parts.push(t("pl_waiting", { items: countsText(p.counts, "waiting") }));
  if (p.drafts) parts.push(t("pl_drafts", { items: countsText(p.counts, "drafts") }));
  return `${p.name}: ${parts.join("; ")}`;
}

export function Payroll() {
  const exports = useLoad(() => api.get<Exports>("/api/payroll/exports"), []);
  const unapproved = useLoad(() => api.get<Unapproved>("/api/payroll/unapproved"), []);
  const [chosen, setPeriod] = useState("");
  const period = chosen || exports.data?.next_period || "";
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  // A ref, not only state: a double click's second event can arrive before the disabled button renders.
  const running = useRef(false);

  async function run(e: Event) {
    e.preventDefault();
    if (running.current || !period) return;
    const cutoff = exports.data?.next_cutoff;
    const today = feltSync.fields.today(); // the Danish calendar, as the server counts cut-offs
    // Before its cut-off, leaders may still approve for this run: exporting now sends those to the next.
    if (period === exports.data?.next_period && cutoff && today < cutoff) {
      if (!window.confirm(t("pl_early", { period: monthName(period), date: showDate(cutoff) }))) return;
    }
    running.current = true;
    setBusy(true);
    setMessage(t("pl_working"));
    try {
      const made = await api.post<Made>("/api/payroll/exports", { period });
      setMessage(made.created ? t("pl_made", { file: made.filename }) : lang === "en" ? made.detail_en : made.detail);
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      running.current = false;
      setBusy(false);
    }
    exports.reload();
    unapproved.reload();
  }

  async function markPaid(id: number, period: string) {
    if (running.current) return;
    // It moves every record of the export to "paid" on the employees' phones: asked first (issue 12, item 19).
    if (!window.confirm(t("pl_markPaidConfirm", { period: monthName(period) }))) return;
    running.current = true;
    setBusy(true);
    try {
      await api.post(`/api/payroll/exports/${id}/paid`);
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      running.current = false;
      setBusy(false);
    }
    exports.reload();
  }

  return (
    <Page title={t("pl_title")} back>
      <h2>{t("pl_pending")}</h2>
      {exports.error && <Status error={exports.error} onRetry={exports.reload} />}
      {exports.data && !exports.data.pending.length && <p>{t("pl_nonePending")}</p>}
      <ul>
        {exports.data?.pending.map((p) => (
          <li key={p.period}>
            {t("pl_pendingLine", { period: monthName(p.period), lines: p.lines, total: fmtKr(p.total) })}
            {" · "}
            {t("pl_pendingCutoff", { date: showDate(p.cutoff) })}
          </li>
        ))}
      </ul>
      <form class="card" onSubmit={(e) => void run(e)}>
        {exports.data && (
          <p>{t("pl_nextRun", { period: monthName(exports.data.next_period), date: showDate(exports.data.next_cutoff) })}</p>
        )}
        <div class="field">
          <label for="pl-period">{t("pl_period")}</label>
          <input id="pl-period" type="month" value={period} onInput={(e) => setPeriod(e.currentTarget.value)} />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy || !period} aria-busy={busy}>
          {busy ? t("pl_working") : t("pl_export")}
        </button>
      </form>
      <p role="status">{message}</p>
      <h2>{t("pl_exports")}</h2>
      {exports.data && !exports.data.exports.length && <p>{t("pl_noExports")}</p>}
      <ul class="stack">
        {exports.data?.exports.map((x) => (
          <li key={x.id} class="card">
            <p>{t("pl_exportLine", { period: monthName(x.period), lines: x.line_count, total: fmtKr(x.total) })}</p>
            <p class="muted">{formatDateTime(x.created_at)}</p>
            <a class="btn" href={`/api/payroll/exports/${x.id}/file`} download={x.filename}>
              {t("pl_download", { file: x.filename })}
            </a>
            {x.paid_at ? (
              <p>{t("pl_paidAt", { at: formatDateTime(x.paid_at) })}</p>
            ) : (
              <button type="button" class="btn" disabled={busy} onClick={() => void markPaid(x.id, x.period)}>
                {t("pl_markPaid")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <h2>{t("pl_unapproved")}</h2>
      {unapproved.error && <Status error={unapproved.error} onRetry={unapproved.reload} />}
      {unapproved.data && (
        <>
          <p>{t("pl_cutoff", { date: showDate(unapproved.data.cutoff) })}</p>
          {!unapproved.data.people.length && <p>{t("pl_allApproved")}</p>}
          <ul>
            {unapproved.data.people.map((p) => (
              <li key={p.user_id}>{personLine(p)}</li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
