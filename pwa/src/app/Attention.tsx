import { useState } from "preact/hooks";
import { type Attention as Item, feltSync, type Fields } from "../data";
import { label, lang, t } from "../i18n";
import { useSyncStatus } from "./sync";
import { Page } from "./Layout";
import { fmtKr, showDate } from "./records";
import { recordKind, WORKFLOWS } from "./workflows";

function show(v: unknown): string {
  if (v == null || v === "") return t("emptyValue");
  if (typeof v === "boolean") return v ? t("yes") : t("no");
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** What the record is, in its own words: its date, purpose (or name) and amount, as far as it has them. */
function described(f: Fields): string {
  const calc = (f.calc ?? {}) as { amount?: unknown };
  const amount = f.total ?? calc.amount;
  const name = f.purpose ?? f.merchant ?? f.title;
  return [f.date ? showDate(f.date) : "", typeof name === "string" ? name : "", amount != null && amount !== "" ? fmtKr(amount) : ""]
    .filter(Boolean)
    .join(" · ");
}

/** "Kørsel: 10. mar. 2025 · Møde med forældre · 111,50 kr." — the type's label, then the record's own words
 * (its workflow may declare a title of its own in workflows.tsx). */
function title(a: Item): string {
  const pick = (f: Fields): string => {
    const declared = recordKind(a.type)?.title?.(f);
    return typeof declared === "string" && declared ? declared : described(f);
  };
  const name = pick(a.server?.fields ?? {}) || pick(a.mine); // the record as the server has it, else as sent
  const type = label("type", a.type);
  return name ? `${type}: ${name}` : type;
}

/** The record's own screen, when its workflow has one ("udlaeg/:id"): the first ":id" route of the workflow
 * whose first record type it is. */
function linkTo(a: Item): string | null {
  const w = WORKFLOWS.find((x) => x.types[0]?.type === a.type);
  const route = w?.routes.find((r) => r.path.endsWith("/:id") && !r.area);
  return route ? `#/${route.path.replace(":id", a.record_id)}` : null;
}

const reasonOf = (a: Item): string => (lang === "en" && a.reason_en) || a.reason;

function Conflict({ a, busy, act }: { a: Item; busy: boolean; act: (f: () => Promise<void>) => void }) {
  const server: Fields = a.server?.fields ?? {};
  const names = a.fields.length ? a.fields : Object.keys(a.mine);
  return (
    <>
      <p>{t("conflictText")}</p>
      <dl class="compare">
        {names.map((f) => (
          <div key={f}>
            <dt>
              {t("conflictField")}: {label("field", f)}
            </dt>
            <dd>
              <span class="compare-label">{t("conflictMine")}</span> {show(a.mine[f])}
            </dd>
            <dd>
              <span class="compare-label">{t("conflictServer")}</span> {show(server[f])}
            </dd>
          </div>
        ))}
      </dl>
      <div class="row">
        <button
          type="button"
          class="btn btn-primary"
          disabled={busy}
          onClick={() => act(() => feltSync.resolve(a.key!, "mine"))}
        >
          {t("keepMine")}
        </button>
        <button type="button" class="btn" disabled={busy} onClick={() => act(() => feltSync.resolve(a.key!, "server"))}>
          {t("useServer")}
        </button>
      </div>
    </>
  );
}

function Rejected({ a, busy, act }: { a: Item; busy: boolean; act: (f: () => Promise<void>) => void }) {
  const sent = Object.entries(a.mine);
  return (
    <>
      <p>
        <strong>
          {a.kind === "transition" && a.transition
            ? t("att_stepRefused", { name: label("transition", a.transition) })
            : a.kind === "delete"
              ? t("att_deleteRefused")
              : t("rejectedText")}
        </strong>
      </p>
      {reasonOf(a) && <p>{t("rejectedReason", { reason: reasonOf(a) })}</p>}
      {a.kind === "transition" && <p>{t("att_savedStill")}</p>}
      {a.kind === "put" && sent.length > 0 && (
        <>
          <p>{t("rejectedSent")}</p>
          <dl class="facts">
            {sent.map(([f, v]) => (
              <div key={f}>
                <dt>{label("field", f)}</dt>
                <dd>{show(v)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <p class="muted">{t("rejectedWhat")}</p>
      <button type="button" class="btn btn-primary" disabled={busy} onClick={() => act(() => feltSync.dismiss(a.key!))}>
        {t("dismiss")}
      </button>
    </>
  );
}

/** Every change the server did not take as sent: conflicts to settle, rejections to read. */
export function Attention() {
  const status = useSyncStatus();
  const [busy, setBusy] = useState(false);
  const items = status?.attention ?? [];

  function act(f: () => Promise<void>) {
    setBusy(true);
    f().finally(() => {
      setBusy(false);
      // The card is gone: put focus back at the top so keyboard and screen-reader users are not lost.
      document.querySelector<HTMLElement>("main h1")?.focus();
    });
  }

  return (
    <Page title={t("attentionTitle")} back>
      {status && !items.length && <p>{t("attentionNone")}</p>}
      {items.length > 0 && <p>{t("attentionIntro")}</p>}
      <ul class="cards">
        {items.map((a) => (
          <li key={a.key} class="card">
            <h2 id={`att-${a.key}`}>{linkTo(a) ? <a href={linkTo(a)!}>{title(a)}</a> : title(a)}</h2>
            {a.status === "conflict" ? <Conflict a={a} busy={busy} act={act} /> : <Rejected a={a} busy={busy} act={act} />}
          </li>
        ))}
      </ul>
    </Page>
  );
}
