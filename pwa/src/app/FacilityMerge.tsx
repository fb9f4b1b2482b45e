// The property office's view of a report's photos (the reporter's, merged duplicates', the fix's; shown
// resized by the server), and merging a duplicate into the report to keep (followers and photos kept).
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { LocalRecord } from "../data";
import { feltSync } from "../data";
import { t } from "../i18n";
import { errorText, useOnline } from "./hooks";
import { categoryText, placeOf } from "./facilityText";
import { showDate, str } from "./records";

interface Photo {
  sha256: string;
  report_id: string;
  fix: boolean;
}

/** A report's photos; none shown offline (they are fetched when online). */
export function ReportPhotos({ id }: { id: string }) {
  const online = useOnline();
  const [photos, setPhotos] = useState<Photo[]>([]);
  useEffect(() => {
    if (online) api.get<Photo[]>(`/api/facility/reports/${id}/photos`).then(setPhotos, () => undefined);
  }, [id, online]);
  if (!photos.length) return null;
  return (
    <ul class="thumbs">
      {photos.map((p, i) => (
        <li key={p.sha256}>
          <img
            class="thumb"
            src={`/api/facility/reports/${id}/photo?sha256=${p.sha256}`}
            alt={t(p.fix ? "fa_fixPhotoAlt" : "fa_photoAlt", { n: i + 1 })}
          />
        </li>
      ))}
    </ul>
  );
}

/** Merge this report (a duplicate) into another open report of the same room, chosen by the office. */
export function MergeInto({ r, others }: { r: LocalRecord; others: LocalRecord[] }) {
  const room = placeOf(r).room_id;
  const candidates = others.filter((o) => o.id !== r.id && placeOf(o).room_id === room);
  const [keep, setKeep] = useState("");
  const [error, setError] = useState("");
  if (!candidates.length) return null;
  const id = r.id.slice(0, 8);

  async function merge() {
    if (!keep) return setError(t("fa_mergeChoose"));
    try {
      await api.post("/api/facility/reports/merge", { keep, merge: r.id });
      await feltSync.syncNow();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <div class="field">
      <label for={`merge-${id}`}>{t("fa_mergeLabel")}</label>
      <select id={`merge-${id}`} value={keep} onChange={(e) => setKeep(e.currentTarget.value)}>
        <option value="">{t("fa_choose")}</option>
        {candidates.map((o) => (
          <option key={o.id} value={o.id}>
            {`${categoryText(o.fields.category)} · ${showDate(str(o.updated_at).slice(0, 10))} · ${str(o.fields.text).slice(0, 40)}`}
          </option>
        ))}
      </select>
      <button type="button" class="btn" onClick={() => void merge()}>
        {t("fa_merge")}
      </button>
      <div role="alert">{error && <p class="error">{error}</p>}</div>
    </div>
  );
}
