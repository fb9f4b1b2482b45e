import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Me } from "../api";
import { lang, type Lang, setLang, t } from "../i18n";
import { feltSync } from "../data";
import { Admin } from "./Admin";
import { Attention } from "./Attention";
import { Bookings } from "./Bookings";
import { Home, knownAreas } from "./Home";
import { Inbox } from "./Inbox";
import { Payroll } from "./Payroll";
import { errorText, go, useOnline, useRoute } from "./hooks";
import { Layout, Page, Status } from "./Layout";
import { Login } from "./Login";
import { Profile } from "./Profile";
import { turnOff } from "./push";
import { Staff } from "./Staff";
import { loadSession, logout } from "./session";
import { Statement } from "./Statement";
import { syncSoon } from "./sync";
import { findOpenRoute, findRoute } from "./workflows";

type View =
  | { kind: "loading" }
  | { kind: "anon" }
  | { kind: "user"; me: Me; stale: boolean }
  | { kind: "error"; message: string };

export function App() {
  const [, setShownLang] = useState(lang);
  const online = useOnline();
  const route = useRoute();
  const [view, setView] = useState<View>({ kind: "loading" });

  const refresh = useCallback(async () => {
    try {
      const session = await loadSession();
      // The offline data belongs to this user (one database per user). A lapsed session (null) keeps
      // the last user, so their waiting changes still show and go out after they log in again.
      if (session) {
        await feltSync.setUser(session.me.id).catch(() => undefined); // no IndexedDB: online only
        if (!session.stale) {
          syncSoon(0);
          void feltSync.fields.refresh(); // the forms' typed fields, kept for offline use
        }
      }
      setView(session ? { kind: "user", ...session } : { kind: "anon" });
    } catch (e) {
      setView({ kind: "error", message: errorText(e) });
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);

  // Back online after showing the cached user (or an error): ask the server again.
  const stale = (view.kind === "user" && view.stale) || view.kind === "error";
  useEffect(() => {
    if (online && stale) void refresh();
  }, [online]);

  // On a new screen (another route, or logged in/out), move focus to its heading so screen readers
  // announce it. Not on the first load: there focus stays at the top, before the skip link.
  const shown = useRef({ route, kind: view.kind });
  useEffect(() => {
    const before = shown.current;
    shown.current = { route, kind: view.kind };
    if (before.route !== route || (before.kind !== "loading" && before.kind !== view.kind))
      document.querySelector<HTMLElement>("main h1")?.focus();
  }, [route, view.kind]);

  const switchLang = (next: Lang) => {
    setLang(next);
    feltSync.setLanguage(next);
    setShownLang(next);
  };

  let content;
  const open = findOpenRoute(route); // a screen for people not logged in (a room's QR code)
  if (route === "tilgaengelighed") content = <Statement />;
  else if (open) content = <open.Screen key={route} params={open.params} />;
  else if (view.kind === "loading") content = <p class="muted">{t("loading")}</p>;
  else if (view.kind === "anon")
    content = (
      <Login
        online={online}
        onLoggedIn={() => {
          // A room's code asked to log in first (a closed building): back to its report form.
          const back = sessionStorage.getItem("felt.returnTo");
          sessionStorage.removeItem("felt.returnTo");
          if (back) return void refresh().then(() => go(back));
          go("");
          void refresh();
        }}
      />
    );
  else if (view.kind === "error")
    content = (
      <Page title="Felt">
        <Status error={view.message} onRetry={refresh} />
      </Page>
    );
  else {
    const area = knownAreas(view.me).find((a) => a === route);
    const screen = findRoute(route, view.me); // a workflow's screen (workflows.tsx)
    if (area === "profile")
      content = (
        <Profile
          me={view.me}
          onLang={switchLang}
          onLogout={async () => {
            await turnOff().catch(() => undefined); // a shared device stops showing this person's messages
            await logout();
            await feltSync.setUser(null).catch(() => undefined);
            setView({ kind: "anon" });
            go("");
          }}
        />
      );
    else if (area === "staff") content = <Staff me={view.me} />;
    else if (area === "admin") content = <Admin />;
    else if (area === "inbox") content = <Inbox me={view.me} />;
    else if (area === "payroll") content = <Payroll />;
    else if (area === "bookings") content = <Bookings />;
    else if (route === "opmaerksomhed") content = <Attention />;
    else if (screen) content = <screen.Screen key={route} me={view.me} id={screen.id} />;
    else content = <Home me={view.me} />;
  }

  return (
    <Layout
      online={online}
      onSwitchLang={() => switchLang(lang === "da" ? "en" : "da")}
      onLogin={view.kind === "user" ? () => void refresh() : undefined}
      loggedIn={view.kind === "user"}
    >
      {content}
    </Layout>
  );
}
