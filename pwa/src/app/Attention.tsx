import { useState } from "preact/hooks";
import { type Attention as Item, feltSync, type Fields } from "../data";
import { label, lang, t } from "../i18n";
import { useSyncStatus } from "./sync";
import { Page } from "./Layout";
import { recordKind } from "./workflows";

function show(v: unknown): string {
  if (v == null || v === "") return t("emptyValue");
  if (typeof v === "boolean") return v ? t("yes") : t("no");
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** "Note: Shopping" — the type's label, and the record's name as its workflow declares it (workflows.tsx). */
function title(a: Item): string {
  const pick = recordKind(a.type)?.title ?? ((f: Fields) => f.title);
  const name = pick(a.server?.fields ?? {}) ?? pick(a.mine);
  const type = label("type", a.type);
  return typeof name === "string" && name ? `${type}: ${name}` : type;
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
        <strong>{t("rejectedText")}</strong>
      </p>
      {reasonOf(a) && <p>{t("rejectedReason", { reason: reasonOf(a) })}</p>}
      {a.kind === "transition" && a.transition && (
        <p>{t("rejectedTransition", { name: label("transition", a.transition) })}</p>
      )}
      {a.kind === "delete" && <p>{t("rejectedDelete")}</p>}
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
            <h2 id={`att-${a.key}`}>{title(a)}</h2>
            {a.status === "conflict" ? <Conflict a={a} busy={busy} act={act} /> : <Rejected a={a} busy={busy} act={act} />}
          </li>
        ))}
      </ul>
    </Page>
  );
}
