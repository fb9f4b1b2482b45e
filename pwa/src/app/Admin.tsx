import { useState } from "preact/hooks";
import { api, type AuditEntry, type ImportResult } from "../api";
import { formatDateTime, label, lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { parseAmount } from "./Receipts";
import { AccountWords } from "./AccountWords";

function ImportForm(props: { id: string; title: string; path: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [result, setResult] = useState<ImportResult | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setResult(null);
    if (!file) return setError(t("noFile"));
    setBusy(true);
    setError("");
    try {
      setResult(await api.postText<ImportResult>(props.path, await file.text(), "text/csv"));
      props.onDone();
    } catch (err) {
      setError(errorText(err));
    }
    setBusy(false);
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <label for={`${props.id}-file`}>{t("csvFile")}</label>
      <input
        id={`${props.id}-file`}
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
      />
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {busy ? t("uploading") : t("upload")}
      </button>
      <div aria-live="polite">
        {error && <p class="error">{error}</p>}
        {result && (
          <div class="result">
            <h3>{t("result")}</h3>
            <ul class="plain">
              <li>
                {t("created")}: {result.created}
              </li>
              <li>
                {t("updated")}: {result.updated}
              </li>
              {result.unchanged != null && (
                <li>
                  {t("unchanged")}: {result.unchanged}
                </li>
              )}
              <li>
                {t("deactivated")}: {result.deactivated}
              </li>
              <li>
                {t("errors")}: {result.errors.length}
              </li>
            </ul>
            {result.errors.length > 0 && (
              <ul class="plain errors">
                {result.errors.map((x) => (
                  <li key={`${x.line}-${x.message}`}>
                    {t("line", { n: x.line })}: {(lang === "en" && x.message_en) || x.message}
                  </li>
                ))}
              </ul>
            )}
            {result.notes?.map((n) => (
              <p key={n}>{n}</p>
            ))}
          </div>
        )}
      </div>
    </form>
  );
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

function show(v: unknown): string {
  if (v == null || v === "") return "–";
  if (typeof v === "string" && ISO_TIME.test(v)) return formatDateTime(v);
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** Audit changes are {field: value} for new rows and {field: [old, new]} for changed ones; a value that is
 * itself a set of fields is shown as its fields, never as raw JSON. */
function plain(v: unknown): string {
  if (v != null && typeof v === "object" && !Array.isArray(v)) {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${label("field", k)}: ${plain(x)}`)
      .join(", ");
  }
  return Array.isArray(v) ? v.map(plain).join(", ") : show(v);
}

function changeLines(changes: unknown): string[] {
  if (changes == null || typeof changes !== "object") return changes == null ? [] : [show(changes)];
  return Object.entries(changes).map(([k, v]) =>
    Array.isArray(v) && v.length === 2 ? `${label("field", k)}: ${plain(v[0])} → ${plain(v[1])}` : `${label("field", k)}: ${plain(v)}`,
  );
}

const VERBS = ["insert", "update", "delete", "login", "logout", "import", "put", "submit", "withdraw", "approve", "reject", "sign_off", "reopen", "send_to_payroll"] as const;
type Verb = (typeof VERBS)[number];

/** "Camilla Leder godkendte kørsel «10.03.2025 · Møde» (Anna Andersen)": who did what to which record. */
function sentence(a: AuditEntry): string {
  const known = (VERBS as readonly string[]).includes(a.action);
  const verb = known ? t(`av_${a.action as Verb}`) : label("action", a.action).toLowerCase();
  const about = (lang === "en" && a.about_en) || a.about;
  const kind = label("type", a.entity) !== a.entity ? label("type", a.entity) : label("entity", a.entity);
  const what = [kind.toLowerCase(), about ? `«${about}»` : ""]
    .filter(Boolean)
    .join(" ");
  const whose = a.whose ? ` (${a.whose})` : "";
  const who = a.actor_name ?? t("av_system");
  return a.action === "login" || a.action === "logout" ? `${who} ${verb}` : `${who} ${verb} ${what}${whose}`;
}

function AuditLog({ version }: { version: number }) {
  const log = useLoad(() => api.get<AuditEntry[]>("/api/audit?limit=50"), [version]);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t("audit")}</h2>
      <Status loading={log.loading && !log.data} error={log.error} onRetry={log.reload} />
      {log.data && !log.data.length && <p>{t("noAudit")}</p>}
      <ol class="cards">
        {log.data?.map((a) => (
          <li key={a.id} class="card">
            <p>
              <strong>{sentence(a)}</strong>
            </p>
            <p class="muted">
              <time dateTime={a.at}>{formatDateTime(a.at)}</time>
            </p>
            {changeLines(a.changes).length > 0 && (
              <details>
                <summary>{t("av_details")}</summary>
                <ul class="plain changes">
                  {changeLines(a.changes).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

interface Settings {
  receipt_review_share: string;
  receipt_review_all_below: number;
  receipt_review_amount_limit: string | null;
  receipt_retention_years: number | null;
  retention_authorisation: string | null;
}

type SettingName = "share" | "below" | "limit" | "years" | "auth";

const decimal = (v: string): string => (lang === "da" ? v.replace(".", ",") : v);

/** The form's text for each setting (a share as a percent; an empty or 0 limit or period is off). */
function formOf(s: Settings): Record<SettingName, string> {
  return {
    share: decimal(String(+(Number(s.receipt_review_share) * 100).toFixed(4))),
    below: String(s.receipt_review_all_below),
    limit: s.receipt_review_amount_limit == null ? "0" : decimal(String(Number(s.receipt_review_amount_limit))),
    years: String(s.receipt_retention_years ?? 0),
    auth: s.retention_authorisation ?? "",
  };
}

/** The settings as the server takes them, or the first field a person must correct. */
function bodyOf(form: Record<SettingName, string>): { body: Record<string, unknown> } | { bad: SettingName } {
  const share = parseAmount(form.share);
  if (!share || Number(share) <= 0 || Number(share) > 100) return { bad: "share" };
  if (!/^\d+$/.test(form.below.trim())) return { bad: "below" };
  const limit = parseAmount(form.limit || "0");
  if (limit === null) return { bad: "limit" };
  if (!/^\d+$/.test(form.years.trim() || "0")) return { bad: "years" };
  return {
    body: {
      receipt_review_share: String(+(Number(share) / 100).toFixed(6)),
      receipt_review_all_below: Number(form.below),
      receipt_review_amount_limit: limit || "0",
      receipt_retention_years: Number(form.years || 0),
      ...(form.auth.trim() ? { retention_authorisation: form.auth.trim() } : {}),
    },
  };
}

/** The leaders' review of receipts (how many are drawn) and how long receipts are kept. */
function ReceiptSettings() {
  const loaded = useLoad(() => api.get<Settings>("/api/municipality/settings"), []);
  const [form, setForm] = useState<Record<SettingName, string> | null>(null);
  const [bad, setBad] = useState<SettingName | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const shown = form ?? (loaded.data ? formOf(loaded.data) : null);

  async function save(e: Event) {
    e.preventDefault();
    if (!shown) return;
    const checked = bodyOf(shown);
    setMessage("");
    setError("");
    setBad("bad" in checked ? checked.bad : null);
    if ("bad" in checked) return;
    try {
      setForm(formOf(await api.put<Settings>("/api/municipality/settings", checked.body)));
      setMessage(t("st_saved"));
    } catch (err) {
      setError(errorText(err));
    }
  }

  if (!shown) return <Status loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} />;
  const field = (name: SettingName, mode: "decimal" | "numeric" | "text") => (
    <div class="field">
      <label for={`st-${name}`}>{t(`st_${name}`)}</label>
      <span class="muted" id={`st-${name}-hint`}>
        {t(`st_${name}_hint`)}
      </span>
      <input
        id={`st-${name}`}
        type="text"
        inputMode={mode === "text" ? undefined : mode}
        autocomplete="off"
        value={shown[name]}
        aria-invalid={bad === name || undefined}
        aria-describedby={`st-${name}-hint${bad === name ? ` st-${name}-err` : ""}`}
        onInput={(e) => setForm({ ...shown, [name]: e.currentTarget.value })}
      />
      {bad === name && (
        <span class="errors" id={`st-${name}-err`}>
          {t(`st_${name}_err`)}
        </span>
      )}
    </div>
  );
  return (
    <form class="card" onSubmit={(e) => void save(e)} aria-labelledby="st-title" noValidate>
      <h2 id="st-title">{t("st_title")}</h2>
      {field("share", "decimal")}
      {field("below", "numeric")}
      {field("limit", "decimal")}
      <h3>{t("st_retention")}</h3>
      {field("years", "numeric")}
      {field("auth", "text")}
      <button type="submit" class="btn btn-primary">
        {t("st_save")}
      </button>
      <p role="status">{message}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function Admin() {
  // Bumped after an import so the audit log shows what the import changed.
  const [version, setVersion] = useState(0);
  const done = () => setVersion((v) => v + 1);
  return (
    <Page title={t("area_admin")} back>
      <p>
        <a class="btn" href="#/admin/koersel">
          {t("ma_link")}
        </a>{" "}
        <a class="btn" href="#/admin/vikar">
          {t("vsa_link")}
        </a>
      </p>
      <div class="grid2">
        <ImportForm id="units" title={t("importUnits")} path="/api/admin/import/units" onDone={done} />
        <ImportForm id="staff" title={t("importStaff")} path="/api/admin/import/staff" onDone={done} />
      </div>
      <ReceiptSettings />
      <AccountWords />
      <AuditLog version={version} />
    </Page>
  );
}
