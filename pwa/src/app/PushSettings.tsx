// The profile's notifications: turn push on for this device, choose which kinds and whether as a quiet
// morning digest. On an iPhone outside the installed app it explains "Føj til hjemmeskærm" instead.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { currentSubscription, type PushInfo, PushServiceError, support, turnOff, turnOn } from "./push";

export function PushSettings() {
  const info = useLoad(() => api.get<PushInfo>("/api/push"), []);
  const [here, setHere] = useState<boolean | null>(null);
  const [choices, setChoices] = useState<PushInfo["choices"] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [saved, setSaved] = useState("");
  const can = support();

  useEffect(() => {
    if (can === "ok" || can === "blocked") void currentSubscription().then((s) => setHere(Boolean(s)));
  }, [can]);
  useEffect(() => {
    if (info.data) setChoices(info.data.choices);
  }, [info.data]);

  async function toggle(on: boolean) {
    if (!info.data) return;
    setBusy(true);
    setError("");
    try {
      if (on) await turnOn(info.data.public_key);
      else await turnOff();
      setHere(on);
      setSaved(on ? t("push_onSaved") : t("push_offSaved"));
    } catch (e) {
      if (e instanceof PushServiceError) setError(t("push_serviceFailed", { reason: e.message }));
      else setError(e instanceof Error && e.message === "blocked" ? t("push_blocked") : errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function choose(next: PushInfo["choices"]) {
    const before = choices;
    setChoices(next);
    setError("");
    try {
      setChoices(await api.put<PushInfo["choices"]>("/api/push/choices", next));
      setSaved(t("push_choicesSaved"));
    } catch (e) {
      setChoices(before);
      setError(errorText(e));
    }
  }

  return (
    <section aria-labelledby="push-title">
      <h2 id="push-title">{t("push_title")}</h2>
      {info.error && <p class="error" role="alert">{info.error}</p>}
      {info.data && !info.data.enabled && <p class="note">{t("push_serverOff")}</p>}
      {info.data?.enabled && can === "install" && (
        <div class="note" data-testid="push-install">
          <p>
            <strong>{t("push_installTitle")}</strong>
          </p>
          <p>{t("push_installHow")}</p>
        </div>
      )}
      {info.data?.enabled && can === "unsupported" && <p class="note">{t("push_unsupported")}</p>}
      {info.data?.enabled && can === "blocked" && <p class="note">{t("push_blocked")}</p>}
      {info.data?.enabled && can === "ok" && here !== null && (
        <p>
          <button type="button" class={`btn${here ? "" : " btn-primary"}`} disabled={busy} onClick={() => void toggle(!here)}>
            {here ? t("push_off") : t("push_on")}
          </button>
        </p>
      )}
      {choices && info.data && (
        <fieldset>
          <legend>{t("push_which")}</legend>
          {info.data.categories.map((c) => (
            <label class="check" key={c.key}>
              <input
                type="checkbox"
                checked={!choices.off.includes(c.key)}
                onChange={(e) =>
                  void choose({
                    ...choices,
                    off: e.currentTarget.checked ? choices.off.filter((k) => k !== c.key) : [...choices.off, c.key],
                  })
                }
              />
              {lang === "en" ? c.label_en : c.label}
            </label>
          ))}
          <label class="check">
            <input type="checkbox" checked={choices.digest} onChange={(e) => void choose({ ...choices, digest: e.currentTarget.checked })} />
            {t("push_digest")}
          </label>
        </fieldset>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="muted" role="status">
        {saved}
      </p>
    </section>
  );
}
