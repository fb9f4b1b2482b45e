import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { t } from "../i18n";
import { useSyncStatus } from "./sync";
import { SyncBanners, SyncBar } from "./SyncStatus";

function focusMain(e: Event): void {
  // A plain "#main" link would change the hash route, so move focus by hand.
  e.preventDefault();
  document.getElementById("main")?.focus();
}

export function LangButton({ onSwitch }: { onSwitch: () => void }) {
  // The label is written in the language it switches to, so it has that language's lang attribute.
  return (
    <button type="button" class="btn btn-quiet" lang={t("otherLang")} onClick={onSwitch}>
      {t("otherLangName")}
    </button>
  );
}

export function Layout(props: {
  online: boolean;
  onSwitchLang: () => void;
  /** Shown as "Log in again" when the session lapsed with changes waiting (not on the log-in screen). */
  onLogin?: () => void;
  /** False on the log-in screen: the sync status shows what waits, without links into the app. */
  loggedIn?: boolean;
  children: ComponentChildren;
}) {
  const sync = useSyncStatus();
  return (
    <>
      <a class="skip" href="#main" onClick={focusMain}>
        {t("skip")}
      </a>
      <header>
        <div class="top">
          <a class="brand" href="#/">
            Felt
          </a>
          <LangButton onSwitch={props.onSwitchLang} />
        </div>
        <div role="status" class={props.online ? "net net-on" : "net net-off"}>
          {props.online ? t("online") : t("offline")}
        </div>
        {sync?.user && <SyncBar status={sync} loggedIn={!!props.loggedIn} />}
      </header>
      {sync?.user && <SyncBanners status={sync} onLogin={props.onLogin} />}
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
      <footer class="foot">
        <a href="#/tilgaengelighed">{t("statementLink")}</a>
      </footer>
    </>
  );
}

/** A screen: its heading, the window title, and a way back home. */
export function Page(props: { title: string; back?: boolean; children?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${props.title.replace(/\u00ad/g, "")} – Felt`;
  }, [props.title]);
  return (
    <>
      {props.back && (
        <a class="back" href="#/">
          ← {t("back")}
        </a>
      )}
      <h1 tabIndex={-1}>{props.title}</h1>
      {props.children}
    </>
  );
}

/** Label–value pairs as a definition list; further pairs may follow as children. */
export function Facts(props: { rows: [string, string][]; wide?: boolean; children?: ComponentChildren }) {
  return (
    <dl class={props.wide ? "facts facts-row" : "facts"}>
      {props.rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
      {props.children}
    </dl>
  );
}

export function Status(props: { loading?: boolean; error?: string; onRetry?: () => void }) {
  if (props.loading) return <p class="muted">{t("loading")}</p>;
  if (!props.error) return null;
  return (
    <div class="error" role="alert">
      <p>{props.error}</p>
      {props.onRetry && (
        <button type="button" class="btn" onClick={props.onRetry}>
          {t("retry")}
        </button>
      )}
    </div>
  );
}
