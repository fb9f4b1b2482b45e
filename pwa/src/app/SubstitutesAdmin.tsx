// The admin's figures for substitutes' hours, which are data, not code: the hourly wage per agreement
// (from a date) and the municipality's deadline (day of the next month, time, months back). Saving
// replaces them; the server recalculates every open entry and says in words what it refuses.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { lang, t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";

interface Rate {
  profile: string;
  effective_from: string;
  hourly_kr: string;
  source: string;
}
interface Figures {
  rates: Rate[];
  deadline_day: number;
  deadline_clock: string;
  max_months_back: number;
  profiles?: { key: string; name_da: string; name_en: string }[];
}

export function SubstitutesAdmin() {
  const loaded = useLoad(() => api.get<Figures>("/api/substitutes/settings"), []);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  useEffect(() => {
    if (loaded.data) setFigures(loaded.data);
  }, [loaded.data]);
  const profiles = loaded.data?.profiles ?? [];
  const nameOf = (key: string) => {
    const p = profiles.find((x) => x.key === key);
    return p ? (lang === "en" ? p.name_en : p.name_da) : key;
  };

  const setRate = (i: number, change: Partial<Rate>) =>
    figures && setFigures({ ...figures, rates: figures.rates.map((r, j) => (j === i ? { ...r, ...change } : r)) });

  async function save(e: Event) {
    e.preventDefault();
    if (!figures) return;
    setError("");
    setMessage("");
    try {
      const body = { ...figures, profiles: undefined, rates: figures.rates.map((r) => ({ ...r, hourly_kr: r.hourly_kr.replace(",", ".") })) };
      setFigures(await api.put<Figures>("/api/substitutes/settings", body));
      setMessage(t("vsa_saved"));
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <Page title={t("vsa_title")} back>
      <p>{t("vsa_intro")}</p>
      <Status loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} />
      {figures && (
        <form class="card big-fields" onSubmit={(e) => void save(e)}>
          {!figures.rates.length && <p class="mark">{t("vsa_none")}</p>}
          {figures.rates.map((r, i) => (
            <fieldset key={i} class="field">
              <legend>{nameOf(r.profile)}</legend>
              <div class="field">
                <label for={`sa-profile-${i}`}>{t("vsa_profile")}</label>
                <select id={`sa-profile-${i}`} value={r.profile} onChange={(e) => setRate(i, { profile: e.currentTarget.value })}>
                  {profiles.map((p) => (
                    <option key={p.key} value={p.key}>
                      {lang === "en" ? p.name_en : p.name_da}
                    </option>
                  ))}
                </select>
              </div>
              <div class="row">
                <div class="field">
                  <label for={`sa-from-${i}`}>{t("vsa_from")}</label>
                  <input id={`sa-from-${i}`} type="date" required value={r.effective_from} onInput={(e) => setRate(i, { effective_from: e.currentTarget.value })} />
                </div>
                <div class="field">
                  <label for={`sa-hourly-${i}`}>{t("vsa_hourly")}</label>
                  <input id={`sa-hourly-${i}`} inputMode="decimal" required value={r.hourly_kr} onInput={(e) => setRate(i, { hourly_kr: e.currentTarget.value })} />
                </div>
              </div>
              <div class="field">
                <label for={`sa-source-${i}`}>{t("vsa_source")}</label>
                <input id={`sa-source-${i}`} value={r.source} onInput={(e) => setRate(i, { source: e.currentTarget.value })} />
              </div>
              <button type="button" class="btn btn-small" onClick={() => setFigures({ ...figures, rates: figures.rates.filter((_, j) => j !== i) })}>
                {t("vsa_remove")}
              </button>
            </fieldset>
          ))}
          <button
            type="button"
            class="btn"
            onClick={() =>
              setFigures({ ...figures, rates: [...figures.rates, { profile: profiles[0]?.key ?? "", effective_from: "", hourly_kr: "", source: "" }] })
            }
          >
            {t("vsa_add")}
          </button>
          <div class="row">
            <div class="field">
              <label for="sa-day">{t("vsa_deadlineDay")}</label>
              <input id="sa-day" type="number" min={1} max={28} required value={figures.deadline_day} onInput={(e) => setFigures({ ...figures, deadline_day: Number(e.currentTarget.value) })} />
            </div>
            <div class="field">
              <label for="sa-clock">{t("vsa_deadlineClock")}</label>
              <input id="sa-clock" required pattern="[0-2][0-9]:[0-5][0-9]" value={figures.deadline_clock} onInput={(e) => setFigures({ ...figures, deadline_clock: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="sa-back">{t("vsa_monthsBack")}</label>
              <input id="sa-back" type="number" min={0} max={12} required value={figures.max_months_back} onInput={(e) => setFigures({ ...figures, max_months_back: Number(e.currentTarget.value) })} />
            </div>
          </div>
          <button type="submit" class="btn btn-primary btn-big">
            {t("vsa_save")}
          </button>
          {message && <p role="status">{message}</p>}
          {error && (
            <p class="errors" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </Page>
  );
}
