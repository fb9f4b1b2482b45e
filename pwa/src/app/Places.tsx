// The employee's saved places (home with its distance to the usual workplace, the town hall, …): offered
// when logging a trip, and the home distance is what the server deducts from trips from or to home.
import { useState } from "preact/hooks";
import { feltSync } from "../data";
import { t } from "../i18n";
import { Page } from "./Layout";
import { fmtKm, parseKm } from "./mileageText";
import { str, useRecords } from "./records";

export const PLACE = "place";
const KINDS = ["home", "work", "other"] as const;

export function Places() {
  const places = useRecords(PLACE) ?? [];
  const [name, setName] = useState("");
  const [address, setAddress] = useState("");
  const [kind, setKind] = useState<(typeof KINDS)[number]>("other");
  const [km, setKm] = useState("");
  const [error, setError] = useState("");

  async function add(e: Event) {
    e.preventDefault();
    const distance = kind === "home" && km ? parseKm(km) : null;
    if (!name.trim()) return setError(t("km_missing", { list: t("km_placeName") }));
    if (kind === "home" && km && distance === null) return setError(t("km_errKm"));
    await feltSync.put(PLACE, feltSync.newId(), { name: name.trim(), address: address.trim(), kind, km_to_work: distance });
    setName("");
    setAddress("");
    setKm("");
    setError("");
  }

  return (
    <Page title={t("km_placesTitle")}>
      <a class="back" href="#/koersel">
        ← {t("km_backToList")}
      </a>
      {!places.length ? (
        <p>{t("km_noPlaces")}</p>
      ) : (
        <ul class="cards">
          {places.map((p) => (
            <li key={p.id} class="card">
              <p>
                <strong>{str(p.fields.name)}</strong> · {t(`km_kind_${str(p.fields.kind) as (typeof KINDS)[number]}`)}
              </p>
              {str(p.fields.address) && <p class="muted">{str(p.fields.address)}</p>}
              {p.fields.km_to_work != null && <p>{`${t("km_kmToWork")}: ${fmtKm(p.fields.km_to_work)}`}</p>}
              <button type="button" class="btn btn-small" onClick={() => void feltSync.remove(PLACE, p.id)}>
                {t("km_removePlace", { name: str(p.fields.name) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="card" onSubmit={(e) => void add(e)} noValidate>
        <div class="field">
          <label for="pl-name">{t("km_placeName")}</label>
          <input id="pl-name" type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="pl-address">{t("km_placeAddress")}</label>
          <input id="pl-address" type="text" value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="pl-kind">{t("km_placeKind")}</label>
          <select id="pl-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as (typeof KINDS)[number])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`km_kind_${k}`)}
              </option>
            ))}
          </select>
        </div>
        {kind === "home" && (
          <div class="field">
            <label for="pl-km">{t("km_kmToWork")}</label>
            <span class="muted" id="pl-km-hint">
              {t("km_kmToWorkHint")}
            </span>
            <input id="pl-km" type="text" inputMode="decimal" value={km} aria-describedby="pl-km-hint" onInput={(e) => setKm(e.currentTarget.value)} />
          </div>
        )}
        <div role="alert">{error && <p class="error">{error}</p>}</div>
        <button type="submit" class="btn btn-primary">
          {t("km_addPlace")}
        </button>
      </form>
    </Page>
  );
}
