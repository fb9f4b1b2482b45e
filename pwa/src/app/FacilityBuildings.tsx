// Buildings and their rooms' codes (the property office and admins): whether people who are not logged in
// may report from a building's codes, each room's link (what its QR label carries), and — for admins —
// replacing a building's codes (old labels then say "this code has been replaced").
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { lang, t } from "../i18n";
import { errorText } from "./hooks";
import { Page, Status } from "./Layout";
import { FacilityBuildingEdit } from "./FacilityBuildingEdit";
import type { ScreenProps } from "./workflows";

interface Building {
  id: number;
  name: string;
  address: string;
  open_reporting: boolean;
  rooms: { id: number; name: string; code: string }[];
}

export function FacilityBuildings({ me }: ScreenProps) {
  const [list, setList] = useState<Building[] | null>(null);
  const [error, setError] = useState("");
  const [message, setMessage] = useState("");
  const load = () => api.get<Building[]>("/api/facility/buildings").then(setList, (e) => setError(errorText(e)));
  useEffect(() => void load(), []);
  const replace = (b: Building) => setList((l) => (l ?? []).map((x) => (x.id === b.id ? b : x)));

  async function toggle(b: Building) {
    try {
      replace(await api.put<Building>("/api/facility/buildings", { id: b.id, open_reporting: !b.open_reporting }));
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function rotate(b: Building) {
    if (!confirm(t("fa_rotateConfirm", { name: b.name }))) return;
    try {
      replace(await api.post<Building>("/api/facility/buildings/rotate", { id: b.id }));
      setMessage(t("fa_rotated", { name: b.name }));
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function upload(file: File | undefined) {
    if (!file) return;
    try {
      const r = await api.postText<{ buildings: number; rooms: number; errors: { line: number; message: string; message_en: string }[] }>(
        "/api/facility/import",
        await file.text(),
        "text/csv",
      );
      setMessage(
        r.errors.length
          ? r.errors.map((e) => t("fa_importLine", { line: e.line, message: lang === "en" ? e.message_en : e.message })).join(" ")
          : t("fa_imported", { buildings: r.buildings, rooms: r.rooms }),
      );
      void load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <Page title={t("fa_buildingsTitle")} back>
      <div class="field">
        <label for="fa-import">{t("fa_import")}</label>
        <input id="fa-import" type="file" accept=".csv,text/csv" onChange={(e) => void upload(e.currentTarget.files?.[0])} />
      </div>
      <Status loading={!list && !error} error={error} onRetry={() => void load()} />
      <p role="status">{message}</p>
      {(list ?? []).map((b) => (
        <section key={b.id} class="card" aria-label={b.name}>
          <h2>{b.name}</h2>
          {b.address && <p class="muted">{b.address}</p>}
          <label class="radio">
            <input type="checkbox" checked={b.open_reporting} onChange={() => void toggle(b)} /> {t("fa_openReporting")}
          </label>
          <p>
            <a class="btn" href={`/api/facility/labels.pdf?building=${b.id}`} download>
              {t("fa_labels")}
            </a>
          </p>
          <ul class="stack room-links">
            {b.rooms.map((r) => (
              <li key={r.id}>
                <a href={`#/meld/${r.code}`}>{r.name}</a>
              </li>
            ))}
          </ul>
          <FacilityBuildingEdit b={b} onSaved={(m) => (setMessage(m), void load())} />
          {me.areas.includes("admin") && (
            <button type="button" class="btn" onClick={() => void rotate(b)}>
              {t("fa_rotate")}
            </button>
          )}
        </section>
      ))}
    </Page>
  );
}
