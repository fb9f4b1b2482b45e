// A room's QR code opens this form (no log-in needed when the building allows it): building and room filled
// in, the room's open reports first ("Allerede meldt — følg den i stedet"), then category, what is wrong and
// urgency. Works offline: the report waits on the phone and is sent when back online (facilityQueue.ts).
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { lang, t } from "../i18n";
import { errorText, useOnline } from "./hooks";
import { Page } from "./Layout";
import {
  cachedRoom,
  enqueue,
  flush,
  loadRoom,
  mine,
  newSecret,
  onQueueChange,
  receiptRoute,
  type RoomInfo,
  waiting,
} from "./facilityQueue";
import { showDate } from "./records";
import { forget, keepPhoto, MAX_PHOTOS, PhotoRefused, thumbnail } from "./facilityPhotos";

/** The photos chosen for a report, shown small, each with a button to take it out again. */
function PhotoPicker({ photos, onChange }: { photos: string[]; onChange: (p: string[]) => void }) {
  const [urls, setUrls] = useState<Record<string, string>>({});
  const [error, setError] = useState("");
  useEffect(() => {
    const made: Record<string, string> = {};
    void Promise.all(
      photos.map(async (h) => {
        const b = await thumbnail(h);
        if (b) made[h] = URL.createObjectURL(b);
      }),
    ).then(() => setUrls(made));
    return () => Object.values(made).forEach((u) => URL.revokeObjectURL(u));
  }, [photos.join(",")]);

  async function add(files: FileList | null) {
    setError("");
    let next = photos;
    for (const file of Array.from(files ?? [])) {
      if (next.length >= MAX_PHOTOS) {
        setError(t("fa_photosMax", { n: MAX_PHOTOS }));
        break;
      }
      try {
        const hash = await keepPhoto(file);
        if (!next.includes(hash)) next = [...next, hash];
      } catch (e) {
        setError(e instanceof PhotoRefused && e.reason === "size" ? t("fa_photoTooLarge") : t("fa_photoNotImage"));
      }
    }
    onChange(next);
  }

  return (
    <div class="field">
      <label for="fa-photos">{t("fa_photos", { n: MAX_PHOTOS })}</label>
      {photos.length > 0 && (
        <ul class="thumbs">
          {photos.map((h, i) => (
            <li key={h}>
              {urls[h] ? <img class="thumb" src={urls[h]} alt={t("fa_photoAlt", { n: i + 1 })} /> : <span>{t("fa_photoAlt", { n: i + 1 })}</span>}
              <button type="button" class="btn" onClick={() => (void forget([h]), onChange(photos.filter((x) => x !== h)))}>
                {t("fa_photoRemove", { n: i + 1 })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {photos.length < MAX_PHOTOS && (
        <input id="fa-photos" type="file" accept="image/*" multiple onChange={(e) => void add(e.currentTarget.files)} />
      )}
      <div role="alert">{error && <p class="error">{error}</p>}</div>
    </div>
  );
}

const URGENCIES = ["low", "normal", "urgent"] as const;

export function useQueue(): number {
  const [n, setN] = useState(0);
  const online = useOnline();
  useEffect(() => onQueueChange(() => setN((x) => x + 1)), []);
  useEffect(() => {
    if (online) void flush();
    // Phones do not always say when the network is back: try again every few seconds while something waits.
    const timer = setInterval(() => navigator.onLine && waiting().some((w) => !w.error) && void flush(), 5000);
    return () => clearInterval(timer);
  }, [online]);
  return n;
}

const catName = (info: RoomInfo | null, key: string) => {
  const c = info?.categories.find((x) => x.key === key);
  return c ? (lang === "en" ? c.en : c.da) : key;
};

export function FacilityReport({ params }: { params: string[] }) {
  const code = params[0];
  const online = useOnline();
  useQueue();
  const [info, setInfo] = useState<RoomInfo | null>(() => cachedRoom(code));
  const [problem, setProblem] = useState<{ replaced: boolean; text: string; login?: boolean } | null>(null);
  const [photos, setPhotos] = useState<string[]>([]);
  const [category, setCategory] = useState("");
  const [text, setText] = useState("");
  const [urgency, setUrgency] = useState<(typeof URGENCIES)[number]>("normal");
  const [error, setError] = useState("");
  const [sent, setSent] = useState<string | null>(null);

  useEffect(() => {
    loadRoom(code).then(
      (r) => (setInfo(r), setProblem(null)),
      (e) => {
        if (e instanceof ApiError && e.status === 410) setProblem({ replaced: true, text: t("fa_replaced") });
        else if (e instanceof ApiError && e.status === 401) setProblem({ replaced: false, text: t("fa_loginNeeded"), login: true });
        else if (e instanceof ApiError && e.status === 404) setProblem({ replaced: false, text: t("fa_unknownCode") });
        else if (!cachedRoom(code)) setError(errorText(e));
      },
    );
  }, [code, online]);

  if (problem?.login)
    return (
      <Page title={t("fa_loginTitle")}>
        <p class="lead">{problem.text}</p>
        <a
          class="btn btn-primary btn-big"
          href="#/"
          onClick={() => sessionStorage.setItem("felt.returnTo", `meld/${code}`)}
        >
          {t("fa_loginButton")}
        </a>
      </Page>
    );
  if (problem)
    return (
      <Page title={problem.replaced ? t("fa_replacedTitle") : t("fa_unknownTitle")}>
        <p class="lead">{problem.text}</p>
      </Page>
    );

  const place = { building: info?.building ?? "", room: info?.room ?? "" };
  const queued = waiting().filter((w) => w.code === code);
  const followed = new Set([...mine().map((m) => m.id), ...queued.map((w) => w.id)]);

  function keep(id: string, fields: Record<string, unknown>) {
    const item = {
      id,
      code,
      fields,
      secret: newSecret(),
      ...place,
      savedAt: new Date().toISOString(),
      signedIn: !!info?.signedIn,
    };
    enqueue(item);
    setSent(id);
    void flush();
  }

  function submit(e: Event) {
    e.preventDefault();
    if (!category) return setError(t("fa_chooseCategory"));
    if (!text.trim()) return setError(t("fa_describe"));
    if (text.length > 2000) return setError(t("fa_tooLong"));
    setError("");
    keep(crypto.randomUUID(), { code, category, text: text.trim(), urgency, photos });
    setPhotos([]);
  }

  const same = (info?.open ?? []).filter((o) => !category || o.category === category);
  const done = sent ? mine().find((m) => m.id === sent) : undefined;
  const stillWaiting = sent ? waiting().find((w) => w.id === sent) : undefined;

  if (sent)
    return (
      <Page title={t("fa_thanks")}>
        <p class="lead">{[place.building, place.room].filter(Boolean).join(" · ")}</p>
        {stillWaiting?.error ? (
          <p class="error" role="alert">
            {stillWaiting.error}
          </p>
        ) : done ? (
          <>
            <p role="status">{t("fa_sent")}</p>
            <p>{t("fa_linkHint")}</p>
            <a class="btn btn-primary btn-big" href={`#/${receiptRoute(done)}`}>
              {t("fa_followLink")}
            </a>
          </>
        ) : (
          <p role="status" class="note">
            {t("fa_waiting")}
          </p>
        )}
        <button type="button" class="btn" onClick={() => (setSent(null), setText(""), setCategory(""))}>
          {t("fa_another")}
        </button>
      </Page>
    );

  return (
    <Page title={t("fa_title")}>
      <p class="lead">
        {info ? (
          <>
            <strong>{info.room}</strong> · {info.building}
          </>
        ) : (
          t("fa_roomOffline")
        )}
      </p>
      {!online && <p class="note">{t("fa_offlineNote")}</p>}
      {same.length > 0 && (
        <section class="card" aria-labelledby="fa-open">
          <h2 id="fa-open">{t("fa_alreadyTitle")}</h2>
          <ul class="stack">
            {same.map((o) => (
              <li key={o.id}>
                <p>
                  <strong>{catName(info, o.category)}</strong> · {showDate(o.reported_at.slice(0, 10))}
                </p>
                {o.text && <p class="muted">{o.text}</p>}
                {followed.has(o.id) ? (
                  <p class="note">{t("fa_following")}</p>
                ) : (
                  <button type="button" class="btn" onClick={() => keep(o.id, {})}>
                    {t("fa_followInstead")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <form class="card" onSubmit={submit} noValidate>
        <div class="field">
          <label for="fa-category">{t("fa_category")}</label>
          <select id="fa-category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">{t("fa_choose")}</option>
            {(info?.categories ?? []).map((c) => (
              <option key={c.key} value={c.key}>
                {lang === "en" ? c.en : c.da}
              </option>
            ))}
            {!info && <option value="other">{t("fa_other")}</option>}
          </select>
        </div>
        <div class="field">
          <label for="fa-text">{t("fa_what")}</label>
          <textarea id="fa-text" rows={4} maxLength={2000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <PhotoPicker photos={photos} onChange={setPhotos} />
        <fieldset class="field">
          <legend>{t("fa_urgency")}</legend>
          {URGENCIES.map((u) => (
            <label key={u} class="radio">
              <input type="radio" name="fa-urgency" value={u} checked={urgency === u} onChange={() => setUrgency(u)} />{" "}
              {t(`fa_urgency_${u}`)}
            </label>
          ))}
        </fieldset>
        <div role="alert">{error && <p class="error">{error}</p>}</div>
        <button type="submit" class="btn btn-primary btn-big">
          {t("fa_send")}
        </button>
      </form>
      <MyReports />
    </Page>
  );
}

/** The reports this phone made or follows, each with its private link. */
function MyReports() {
  const list = mine();
  if (!list.length) return null;
  return (
    <section aria-labelledby="fa-mine">
      <h2 id="fa-mine">{t("fa_mine")}</h2>
      <ul class="stack">
        {list.slice(0, 10).map((m) => (
          <li key={m.id}>
            <a href={`#/${receiptRoute(m)}`}>{`${m.room} · ${m.building} · ${showDate(m.at.slice(0, 10))}`}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
