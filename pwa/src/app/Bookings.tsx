// Finance's bookkeeping (bogføring): a booking file per payroll export that paid back receipts, read from
// the export itself, and the year's review for the auditors.
import { api } from "../api";
import { formatDateTime, t } from "../i18n";
import { useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { fmtKr, monthName } from "./records";

interface Booking {
  export_id: number;
  period: string;
  created_at: string;
  receipts: number;
  total: string;
}

export function Bookings() {
  const bookings = useLoad(() => api.get<Booking[]>("/api/receipts/bookings"), []);
  const year = new Date().getFullYear();
  return (
    <Page title={t("area_bookings")} back>
      <Status loading={bookings.loading && !bookings.data} error={bookings.error} onRetry={bookings.reload} />
      {bookings.data && !bookings.data.length && <p>{t("bk_none")}</p>}
      <ul class="stack">
        {bookings.data?.map((b) => (
          <li key={b.export_id} class="card">
            <p>{t("bk_line", { period: monthName(b.period), n: b.receipts, total: fmtKr(b.total) })}</p>
            <p class="muted">{formatDateTime(b.created_at)}</p>
            <a class="btn" href={`/api/receipts/bookings/${b.export_id}/file`} download>
              {t("bk_download", { period: monthName(b.period) })}
            </a>
          </li>
        ))}
      </ul>
      <h2>{t("bk_audit")}</h2>
      <p>{t("bk_auditText", { year })}</p>
      <a class="btn" href={`/api/receipts/review/audit.csv?year=${year}`} download>
        {t("bk_auditLink", { year })}
      </a>
    </Page>
  );
}
