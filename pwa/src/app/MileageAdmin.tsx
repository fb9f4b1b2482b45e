// The admin's mileage settings: the rates in force (data, correctable; a missing year is said plainly),
// the municipality's own limits, and the written driving authorisations that allow the high rate.
import { useState } from "preact/hooks";
import { api } from "../api";
import { feltSync, type FieldSpec } from "../data";
import { lang, t } from "../i18n";
import { parsedText } from "./fieldText";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { parseKm } from "./mileageText";
import { showDate } from "./records";

interface RateRow {
  kind: string;
  effective_from: string;
  kr_per_km: string;
  source: string;
  verify: boolean;
}
interface Settings {
  rates: RateRow[];
  max_km_per_trip: string | null;
  max_km_per_month: string | null;
  missing: string[];
  /** The limits' field declarations: the same ones the server checks with. */
  fields: Record<string, FieldSpec>;
}
interface Authorisation {
  id: number;
  name: string;
  employee_number: string;
  valid_from: string;
  valid_to: string | null;
  reference: string;
  /** Only trips to these places get the high rate; empty: every trip. */
  workplaces: string[];
}

/** "Skolen Vest, Plejecenter Egebo" → the places, blanks left out. */
const placesOf = (typed: string): string[] => typed.split(/[,;\n]/).map((p) => p.trim()).filter(Boolean);

const KINDS = ["car_first_20000", "car_above_20000", "bicycle"] as const;
const kindName = (k: string) => t(`ma_kind_${k as (typeof KINDS)[number]}`);

export function MileageAdmin() {
  const settings = useLoad(() => api.get<Settings>(`/api/mileage/settings?lang=${lang}`), []);
  const auths = useLoad(() => api.get<Authorisation[]>("/api/mileage/authorisations"), []);
  const [message, setMessage] = useState("");
  const [rate, setRate] = useState({ kind: KINDS[0] as string, effective_from: "", kr_per_km: "" });
  const [limits, setLimits] = useState<{ trip: string; month: string } | null>(null);
  const [auth, setAuth] = useState({ employee_number: "", valid_from: "", valid_to: "", reference: "", workplaces: "" });
  const [limitProblems, setLimitProblems] = useState<{ trip?: string; month?: string }>({});
  /** The authorisation being corrected: its id and the places as typed. */
  const [editing, setEditing] = useState<{ id: number; workplaces: string; valid_to: string } | null>(null);

  const s = settings.data;
  const shownLimits = limits ?? { trip: s?.max_km_per_trip ?? "", month: s?.max_km_per_month ?? "" };

  async function save(body: Settings) {
    try {
      await api.put("/api/mileage/settings", body);
      setMessage(t("ma_saved"));
      settings.reload();
    } catch (e) {
      setMessage(errorText(e));
    }
  }

  function saveRate(e: Event) {
    e.preventDefault();
    if (!s) return;
    const kr = parseKm(rate.kr_per_km);
    if (!kr || !rate.effective_from) return setMessage(t("km_missing", { list: `${t("ma_from")}, ${t("ma_rate")}` }));
    const others = s.rates.filter((r) => !(r.kind === rate.kind && r.effective_from === rate.effective_from));
    void save({ ...s, rates: [...others, { ...rate, kr_per_km: kr, source: "", verify: false }] });
  }

  /** A limit as the server keeps it ("" → no limit), or why it is refused ("-3", "abc"), from its declaration. */
  function readLimit(name: "max_km_per_trip" | "max_km_per_month", raw: string): { value: string | null; problem: string } {
    const spec = s?.fields[name];
    if (!raw.trim() || !spec) return { value: raw.trim() ? parseKm(raw) : null, problem: "" };
    const parsed = feltSync.fields.parse(spec, raw);
    return { value: parsed.problem ? null : String(parsed.value), problem: parsedText(spec, parsed) };
  }

  function saveLimits(e: Event) {
    e.preventDefault();
    if (!s) return;
    const trip = readLimit("max_km_per_trip", shownLimits.trip);
    const month = readLimit("max_km_per_month", shownLimits.month);
    setLimitProblems({ trip: trip.problem, month: month.problem });
    if (trip.problem || month.problem) {
      setMessage("");
      document.getElementById(trip.problem ? "ma-trip" : "ma-month")?.focus();
      return;
    }
    void save({ ...s, max_km_per_trip: trip.value, max_km_per_month: month.value });
  }

  async function addAuth(e: Event) {
    e.preventDefault();
    try {
      await api.post("/api/mileage/authorisations", { ...auth, valid_to: auth.valid_to || null, workplaces: placesOf(auth.workplaces) });
      setAuth({ employee_number: "", valid_from: "", valid_to: "", reference: "", workplaces: "" });
      setMessage(t("ma_saved"));
    } catch (err) {
      setMessage(errorText(err));
    }
    auths.reload();
  }

  async function changeAuth(e: Event, a: Authorisation) {
    e.preventDefault();
    if (!editing) return;
    const { employee_number, valid_from, reference } = a;
    try {
      await api.put(`/api/mileage/authorisations/${a.id}`, {
        employee_number,
        valid_from,
        reference,
        valid_to: editing.valid_to || null,
        workplaces: placesOf(editing.workplaces),
      });
      setEditing(null);
      setMessage(t("ma_saved"));
    } catch (err) {
      setMessage(errorText(err));
    }
    auths.reload();
  }

  async function removeAuth(id: number) {
    await api.delete(`/api/mileage/authorisations/${id}`).catch((err: unknown) => setMessage(errorText(err)));
    auths.reload();
  }

  return (
    <Page title={t("ma_title")}>
      <a class="back" href="#/admin">
        ← {t("area_admin")}
      </a>
      <p role="status">{message}</p>
      {settings.error && <Status error={settings.error} onRetry={settings.reload} />}
      {s?.missing.length ? (
        <div class="error" role="alert">
          {s.missing.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      ) : null}
      <h2>{t("ma_rates")}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("ma_kind")}</th>
              <th scope="col">{t("ma_from")}</th>
              <th scope="col">{t("ma_rate")}</th>
            </tr>
          </thead>
          <tbody>
            {[...(s?.rates ?? [])].reverse().map((r) => (
              <tr key={`${r.kind}${r.effective_from}`}>
                <td>{kindName(r.kind)}</td>
                <td>{showDate(r.effective_from)}</td>
                <td>
                  {lang === "da" ? r.kr_per_km.replace(".", ",") : r.kr_per_km}
                  {r.verify && <span class="mark">{t("ma_verify")}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="card" onSubmit={saveRate} aria-labelledby="ma-rate-title">
        <h3 id="ma-rate-title">{t("ma_setRate")}</h3>
        <label for="ma-kind">{t("ma_kind")}</label>
        <select id="ma-kind" value={rate.kind} onChange={(e) => setRate({ ...rate, kind: e.currentTarget.value })}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {kindName(k)}
            </option>
          ))}
        </select>
        <label for="ma-from">{t("ma_from")}</label>
        <input id="ma-from" type="date" value={rate.effective_from} onInput={(e) => setRate({ ...rate, effective_from: e.currentTarget.value })} />
        <label for="ma-rate">{t("ma_rate")}</label>
        <input id="ma-rate" type="text" inputMode="decimal" value={rate.kr_per_km} onInput={(e) => setRate({ ...rate, kr_per_km: e.currentTarget.value })} />
        <button type="submit" class="btn btn-primary">
          {t("ma_saveRate")}
        </button>
      </form>
      <form class="card" onSubmit={saveLimits} aria-labelledby="ma-limits-title">
        <h2 id="ma-limits-title">{t("ma_limits")}</h2>
        <label for="ma-trip">{t("ma_perTrip")}</label>
        <input
          id="ma-trip"
          type="text"
          inputMode="decimal"
          value={shownLimits.trip}
          aria-invalid={limitProblems.trip ? true : undefined}
          aria-describedby={limitProblems.trip ? "ma-trip-err" : undefined}
          onInput={(e) => {
            const v = e.currentTarget.value;
            setLimits({ ...shownLimits, trip: v });
            // Once refused, re-checked as it is typed (not on leaving: the message would push the button away).
            if (limitProblems.trip) setLimitProblems((p) => ({ ...p, trip: readLimit("max_km_per_trip", v).problem }));
          }}
        />
        {limitProblems.trip && (
          <span class="errors" id="ma-trip-err">
            {limitProblems.trip}
          </span>
        )}
        <label for="ma-month">{t("ma_perMonth")}</label>
        <input
          id="ma-month"
          type="text"
          inputMode="decimal"
          value={shownLimits.month}
          aria-invalid={limitProblems.month ? true : undefined}
          aria-describedby={limitProblems.month ? "ma-month-err" : undefined}
          onInput={(e) => {
            const v = e.currentTarget.value;
            setLimits({ ...shownLimits, month: v });
            // Once refused, re-checked as it is typed (not on leaving: the message would push the button away).
            if (limitProblems.month) setLimitProblems((p) => ({ ...p, month: readLimit("max_km_per_month", v).problem }));
          }}
        />
        {limitProblems.month && (
          <span class="errors" id="ma-month-err">
            {limitProblems.month}
          </span>
        )}
        <button type="submit" class="btn btn-primary">
          {t("ma_saveLimits")}
        </button>
      </form>
      <h2>{t("ma_auths")}</h2>
      {auths.data && !auths.data.length && <p>{t("ma_noAuths")}</p>}
      <ul class="stack">
        {auths.data?.map((a) => (
          <li key={a.id} class="card">
            <p>
              {t("ma_authLine", { name: a.name, number: a.employee_number, from: showDate(a.valid_from), to: a.valid_to ? showDate(a.valid_to) : "…" })}
            </p>
            <p>{a.workplaces.length ? t("ma_onlyTo", { places: a.workplaces.join(", ") }) : t("ma_allTrips")}</p>
            {a.reference && <p class="muted">{a.reference}</p>}
            {editing?.id === a.id ? (
              <form onSubmit={(e) => void changeAuth(e, a)} aria-label={t("ma_changeAuth", { name: a.name })}>
                <label for={`ma-places-${a.id}`}>{t("ma_places")}</label>
                <p class="muted" id={`ma-places-hint-${a.id}`}>
                  {t("ma_placesHint")}
                </p>
                <input
                  id={`ma-places-${a.id}`}
                  type="text"
                  aria-describedby={`ma-places-hint-${a.id}`}
                  value={editing.workplaces}
                  onInput={(e) => setEditing({ ...editing, workplaces: e.currentTarget.value })}
                />
                <label for={`ma-ato-${a.id}`}>{t("ma_to")}</label>
                <input id={`ma-ato-${a.id}`} type="date" value={editing.valid_to} onInput={(e) => setEditing({ ...editing, valid_to: e.currentTarget.value })} />
                <div class="row">
                  <button type="submit" class="btn btn-primary btn-small">
                    {t("ma_saveAuth")}
                  </button>
                  <button type="button" class="btn btn-small" onClick={() => setEditing(null)}>
                    {t("ma_cancel")}
                  </button>
                </div>
              </form>
            ) : (
              <div class="row">
                <button
                  type="button"
                  class="btn btn-small"
                  onClick={() => setEditing({ id: a.id, workplaces: a.workplaces.join(", "), valid_to: a.valid_to ?? "" })}
                >
                  {t("ma_changeAuth", { name: a.name })}
                </button>
                <button type="button" class="btn btn-small" onClick={() => void removeAuth(a.id)}>
                  {t("ma_removeAuth", { name: a.name })}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <form class="card" onSubmit={(e) => void addAuth(e)} aria-labelledby="ma-auth-title">
        <h3 id="ma-auth-title">{t("ma_addAuth")}</h3>
        <label for="ma-emp">{t("ma_employee")}</label>
        <input id="ma-emp" type="text" value={auth.employee_number} onInput={(e) => setAuth({ ...auth, employee_number: e.currentTarget.value })} />
        <label for="ma-afrom">{t("ma_from")}</label>
        <input id="ma-afrom" type="date" value={auth.valid_from} onInput={(e) => setAuth({ ...auth, valid_from: e.currentTarget.value })} />
        <label for="ma-ato">{t("ma_to")}</label>
        <input id="ma-ato" type="date" value={auth.valid_to} onInput={(e) => setAuth({ ...auth, valid_to: e.currentTarget.value })} />
        <label for="ma-ref">{t("ma_reference")}</label>
        <input id="ma-ref" type="text" value={auth.reference} onInput={(e) => setAuth({ ...auth, reference: e.currentTarget.value })} />
        <label for="ma-places">{t("ma_places")}</label>
        <p class="muted" id="ma-places-hint">
          {t("ma_placesHint")}
        </p>
        <input
          id="ma-places"
          type="text"
          aria-describedby="ma-places-hint"
          value={auth.workplaces}
          onInput={(e) => setAuth({ ...auth, workplaces: e.currentTarget.value })}
        />
        <button type="submit" class="btn btn-primary">
          {t("ma_addAuth")}
        </button>
      </form>
    </Page>
  );
}
