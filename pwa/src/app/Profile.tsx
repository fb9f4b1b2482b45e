import { useState } from "preact/hooks";
import type { Me } from "../api";
import { grantText, lang, type Lang, t } from "../i18n";
import { errorText } from "./hooks";
import { Facts, Page } from "./Layout";
import { PushSettings } from "./PushSettings";

const LANGS: [Lang, string][] = [
  ["da", "Dansk"],
  ["en", "English"],
];

export function Profile(props: { me: Me; onLang: (l: Lang) => void; onLogout: () => Promise<void> }) {
  const { me } = props;
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function logout() {
    setBusy(true);
    setError("");
    try {
      await props.onLogout();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  const rows: [string, string][] = [
    [t("name"), me.name],
    [t("email"), me.email ?? t("none")],
    [t("employeeNumber"), me.employee_number ?? t("none")],
    [t("unit"), me.unit?.name ?? t("none")],
    [t("municipality"), me.municipality.name],
  ];
  return (
    <Page title={t("area_profile")} back>
      <Facts rows={rows}>
        <div>
          <dt>{t("roles")}</dt>
          <dd>
            {me.roles.length ? (
              <ul class="plain">
                {me.roles.map((r) => (
                  <li key={`${r.role}-${r.unit_id}`}>{grantText(r)}</li>
                ))}
              </ul>
            ) : (
              t("none")
            )}
          </dd>
        </div>
      </Facts>

      <h2 id="lang-title">{t("language")}</h2>
      <div class="row" role="group" aria-labelledby="lang-title">
        {LANGS.map(([code, name]) => (
          <button
            key={code}
            type="button"
            class="btn"
            lang={code}
            aria-pressed={lang === code}
            onClick={() => props.onLang(code)}
          >
            {name}
          </button>
        ))}
      </div>

      <PushSettings />

      <h2>{t("logout")}</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="btn btn-primary" disabled={busy} onClick={logout}>
        {t("logout")}
      </button>
    </Page>
  );
}
