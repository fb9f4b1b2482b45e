// Central payroll: export the approved wage lines of a payroll month (each line once, ever), download any
// export again exactly as it was, and see who is not approved yet before the cut-off.
import { useState } from "preact/hooks";
import { api } from "../api";
import { formatDateTime, t } from "../i18n";
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
  pending: { period: string; lines: number; total: string }[];
}

interface Unapproved {
  cutoff: string;
  people: { user_id: number; name: string; waiting: number; drafts: number }[];
}

export function Payroll() {
  const exports = useLoad(() => api.get<Exports>("/api/payroll/exports"), []);
  const unapproved = useLoad(() => api.get<Unapproved>("/api/payroll/unapproved"), []);
  const [period, setPeriod] = useState(() => new Date().toISOString().slice(0, 7));
  const [message, setMessage] = useState("");

  async function run(e: Event) {
    e.preventDefault();
    try {
      const made = await api.post<{ filename: string }>("/api/payroll/exports", { period });
      setMessage(t("pl_made", { file: made.filename }));
    } catch (err) {
      setMessage(errorText(err));
    }
    exports.reload();
  }

  async function markPaid(id: number) {
    try {
      await api.post(`/api/payroll/exports/${id}/paid`);
    } catch (err) {
      setMessage(errorText(err));
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
          <li key={p.period}>{t("pl_pendingLine", { period: monthName(p.period), lines: p.lines, total: fmtKr(p.total) })}</li>
        ))}
      </ul>
      <form class="card" onSubmit={(e) => void run(e)}>
        <div class="field">
          <label for="pl-period">{t("pl_period")}</label>
          <input id="pl-period" type="month" value={period} onInput={(e) => setPeriod(e.currentTarget.value)} />
        </div>
        <button type="submit" class="btn btn-primary">
          {t("pl_export")}
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
              <button type="button" class="btn" onClick={() => void markPaid(x.id)}>
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
              <li key={p.user_id}>{t("pl_unapprovedLine", { name: p.name, waiting: p.waiting, drafts: p.drafts })}</li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
