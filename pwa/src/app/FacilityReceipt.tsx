// The reporter's receipt: a private link (#/kvittering/<report id>/<secret>; the part after # never reaches
// a server log) showing the report's status to the end — received, planned, in progress, done (with the
// fix photographed), or rejected with the reason. Nothing internal is ever sent here (rules/status.py).
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { t } from "../i18n";
import { errorText, useOnline } from "./hooks";
import { Page, Status } from "./Layout";
import { mine } from "./facilityQueue";
import { showDate } from "./records";

interface Receipt {
  id: string;
  building: string;
  room: string;
  category: string;
  text: string;
  state: string;
  steps: { state: string; at: string; reason?: string | null }[];
  fix_photos: number;
  /** How many of her own photos arrived (sent with this link). */
  photos: number;
  /** Merged into another report by the property office: the status shown is that one's. */
  merged: boolean;
}

/** The photos of the fix (or the reporter's own, `mine`), fetched with the secret in the body (never in a
 * URL) and shown from blob: URLs. */
function FixPhotos({ id, secret, n, mine = false }: { id: string; secret: string; n: number; mine?: boolean }) {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    let made: string[] = [];
    const csrf = /(?:^|;\s*)csrftoken=([^;]*)/.exec(document.cookie)?.[1] ?? "";
    void Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(mine ? `/api/facility/public/reports/${id}/my-photos` : `/api/facility/public/receipts/${id}/fix-photo`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrftoken": decodeURIComponent(csrf) },
          body: JSON.stringify({ secret, n: i }),
          credentials: "same-origin",
        }).then((r) => (r.ok ? r.blob() : null), () => null),
      ),
    ).then((blobs) => {
      made = blobs.filter((b): b is Blob => !!b).map((b) => URL.createObjectURL(b));
      setUrls(made);
    });
    return () => made.forEach((u) => URL.revokeObjectURL(u));
  }, [id, secret, n, mine]);
  return (
    <p>
      {urls.map((u, i) => (
        <img key={u} class={mine ? "thumb" : "fa-fix"} src={u} alt={t(mine ? "fa_photoAlt" : "fa_fixPhotoAlt", { n: i + 1 })} />
      ))}
    </p>
  );
}

const STATES = ["received", "planned", "in_progress", "done", "rejected"] as const;
type State = (typeof STATES)[number];
const stateText = (s: string) => (STATES.includes(s as State) ? t(`fa_state_${s as State}`) : s);

export function FacilityReceipt({ params }: { params: string[] }) {
  // A notification opens #/kvittering/<id>: the secret is the one this phone keeps for that report.
  const [id, secret = mine().find((m) => m.id === params[0])?.secret ?? ""] = params;
  const online = useOnline();
  const [data, setData] = useState<Receipt | null>(null);
  const [error, setError] = useState("");
  const load = () =>
    api.post<Receipt>(`/api/facility/public/receipts/${id}`, { secret }).then(
      (r) => (setData(r), setError("")),
      (e) => setError(errorText(e)),
    );
  useEffect(() => void load(), [id, secret, online]);

  return (
    <Page title={t("fa_receiptTitle")}>
      <Status loading={!data && !error} error={error} onRetry={() => void load()} />
      {data && (
        <>
          <p class="lead">{`${data.room} · ${data.building}`}</p>
          <p class="fa-status" role="status">
            {t("fa_statusNow")} <strong>{stateText(data.state)}</strong>
          </p>
          {data.merged && <p class="note">{t("fa_mergedNote")}</p>}
          {data.text && <p>{data.text}</p>}
          {data.photos > 0 && <FixPhotos id={id} secret={secret} n={data.photos} mine />}
          <ol class="stack fa-steps">
            {data.steps.map((s, i) => (
              <li key={i}>
                <strong>{stateText(s.state)}</strong> · {showDate(s.at.slice(0, 10))}
                {s.reason && <p>{t("fa_reason", { reason: s.reason })}</p>}
              </li>
            ))}
          </ol>
          {data.state === "done" && data.fix_photos > 0 && (
            <>
              <p>{t("fa_fixPhotos", { n: data.fix_photos })}</p>
              <FixPhotos id={id} secret={secret} n={data.fix_photos} />
            </>
          )}
          <p class="muted">{t("fa_keepLink")}</p>
        </>
      )}
    </Page>
  );
}
