import { useState } from "preact/hooks";
import { api, ApiError, type DemoUser, type Municipality } from "../api";
import { roleName, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";

// 404 means the server has demo log-in switched off: then the section is simply not shown.
const loadDemoUsers = () =>
  api.get<DemoUser[]>("/auth/demo/users").catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });

function byMunicipality(users: DemoUser[]): [string, DemoUser[]][] {
  const groups = new Map<string, DemoUser[]>();
  for (const u of users) groups.set(u.municipality, [...(groups.get(u.municipality) ?? []), u]);
  return [...groups];
}

export function Login(props: { online: boolean; onLoggedIn: () => void }) {
  const munis = useLoad(() => api.get<Municipality[]>("/auth/municipalities"), [props.online]);
  const demo = useLoad(loadDemoUsers, [props.online]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  async function demoLogin(user: DemoUser) {
    setBusy(true);
    setError("");
    try {
      await api.post("/auth/demo/login", { user_id: user.id });
      props.onLoggedIn();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  const oidc = (munis.data ?? []).filter((m) => m.has_oidc);
  return (
    <Page title={t("loginTitle")}>
      {!props.online && <p class="note">{t("loginOffline")}</p>}
      <Status loading={munis.loading} error={munis.error} onRetry={munis.reload} />
      {oidc.length > 0 && <p>{t("loginIntro")}</p>}
      {munis.data && !oidc.length && !demo.loading && !demo.data && <p>{t("loginNone")}</p>}
      <ul class="stack">
        {oidc.map((m) => (
          <li key={m.slug}>
            <a class="btn btn-primary" href={`/auth/login/${encodeURIComponent(m.slug)}?return_to=/`}>
              {t("loginWith", { name: m.name })}
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a class="btn btn-big" href="#/kode">
          {t("vl_loginLink")}
        </a>
      </p>
      {demo.data && (
        <section aria-labelledby="demo-title" class="demo">
          <h2 id="demo-title">{t("demoTitle")}</h2>
          <p>{t("demoIntro")}</p>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {byMunicipality(demo.data).map(([municipality, users]) => (
            <div key={municipality}>
              <h3>{municipality}</h3>
              <ul class="stack">
                {users.map((u) => (
                  <li key={u.id}>
                    <button type="button" class="btn btn-person" disabled={busy} onClick={() => demoLogin(u)}>
                      <span class="person-name">{u.name}</span>
                      <span class="person-meta">
                        {[u.unit, u.roles.map(roleName).join(", ")].filter(Boolean).join(" · ")}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
      <Status error={demo.error} onRetry={demo.reload} />
    </Page>
  );
}
