// The employee's receipts (udlæg): the list, and one receipt with its photos and form. Everything goes
// through the offline data module, so it all works without a connection; the server's OCR fills fields
// in the background and they arrive with the next pull, marked "read by the machine" until confirmed.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Me } from "../api";
import { type Attention, FileRefused, feltSync, type Fields, type LocalRecord } from "../data";
import { lang, t } from "../i18n";
import { useDraft } from "./draft";
import { dateWindow, problemText, useFieldSpecs } from "./fieldText";
import { go, useOnline } from "./hooks";
import { fmtKr, monthName, payrollMonth, rejection, showDate, str, useRecord, useRecords } from "./records";
import { Page } from "./Layout";
import { syncSoon, useSyncStatus } from "./sync";

export const RECEIPT = "receipt";
const OCR_FIELDS = ["merchant", "date", "total", "vat", "cvr"] as const;
const REQUIRED = ["date", "total", "account", "purpose"] as const;
const NEW_FIELDS: Fields = {
  photos: [],
  merchant: null,
  date: null,
  total: null,
  vat: null,
  cvr: null,
  currency: "DKK",
  account: null,
  purpose: "",
  project: null,
  machine_read: [],
};

// ---- small helpers ------------------------------------------------------------------------------

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** "1234.50" as a Dane writes it ("1234,50"); as it is in English. */
function showAmount(v: unknown): string {
  const s = str(v);
  return lang === "da" ? s.replace(".", ",") : s;
}

/** What a person typed ("1.234,50", "12,5", "99") as the amount string the server keeps ("1234.50"); "" when
 * nothing was typed, null if it is not an amount. Read as every form reads numbers (data/fields.ts). */
export function parseAmount(input: string): string | null {
  if (!input.trim()) return "";
  const d = feltSync.fields.readNumber(input, 2);
  if (!d || d.startsWith("-") || (d.split(".")[1]?.length ?? 0) > 2) return null;
  const [whole, frac = ""] = d.split(".");
  return `${whole}.${frac.padEnd(2, "0")}`;
}

/** States after the payroll export paid it back. */
const PAID = ["paid", "in_review", "approved", "rejected"];

/** Why the receipt was drawn for the leader's review, in the chosen language ("" if it was not). */
export function reviewReason(fields: Fields): string {
  const review = (fields.review ?? {}) as { reason?: string; reason_en?: string };
  return (lang === "en" && review.reason_en) || review.reason || "";
}

/** What the employee needs beyond the state word: when it is paid back, why it is reviewed, why it was rejected. */
function ReceiptNotes({ r }: { r: LocalRecord }) {
  const month = payrollMonth(r.fields);
  const why = reviewReason(r.fields);
  const rejected = rejection(r);
  return (
    <>
      {month && (
        <span class="rc-note">{t(PAID.includes(r.state ?? "") ? "rc_paidIn" : "rc_payIn", { month: monthName(month) })}</span>
      )}
      {r.state === "in_review" && why && <span class="rc-note">{t("rc_reviewWhy", { reason: why })}</span>}
      {rejected && <span class="rc-note errors">{t("rc_rejectedBecause", { reason: rejected })}</span>}
    </>
  );
}

function stateText(r: LocalRecord): string {
  if (r.transitions.includes("submit")) return t("rc_state_sending");
  const state = r.state ?? "draft";
  const key = `rc_state_${state}` as Parameters<typeof t>[0];
  try {
    return t(key);
  } catch {
    return state;
  }
}

// ---- the chart of accounts (cached for offline use) ----------------------------------------------

export interface Account {
  code: string;
  name: string;
  function: string | null;
  type: string | null;
  favourite: boolean;
  recent: boolean;
  /** The employee's own unit's account. */
  own?: boolean;
  /** The municipality's everyday words that find it ("kaffe"). */
  words?: string[];
}

const cacheKey = (me: Me) => `felt.accounts.${me.id}`;

function cachedAccounts(me: Me): Account[] {
  try {
    const list = JSON.parse(localStorage.getItem(cacheKey(me)) ?? "[]") as unknown;
    return Array.isArray(list) ? (list as Account[]) : [];
  } catch {
    return [];
  }
}

function filterAccounts(list: Account[], q: string): Account[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  return list.filter((a) => {
    const text = [a.code, a.name, a.function, a.type, ...(a.words ?? [])].join(" ").toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** Asks the server (and caches the full list); offline, or when the server fails, searches the cached list. */
export async function searchAccounts(me: Me, q: string): Promise<{ list: Account[]; offline: boolean }> {
  try {
    const list = await api.get<Account[]>(`/api/receipts/accounts${q ? `?q=${encodeURIComponent(q)}` : ""}`);
    if (!q) localStorage.setItem(cacheKey(me), JSON.stringify(list));
    return { list, offline: false };
  } catch {
    return { list: filterAccounts(cachedAccounts(me), q), offline: true };
  }
}

/** The name first (what people look for), then the code. */
const accountText = (a: Account): string => `${a.name} (${a.code})`;

function AccountPicker(props: { me: Me; value: string; disabled: boolean; onPick: (code: string) => void }) {
  const { me, value } = props;
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [found, setFound] = useState<{ list: Account[]; offline: boolean } | null>(null);
  const [names, setNames] = useState<Account[]>(() => cachedAccounts(me));
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    const timer = setTimeout(
      () =>
        void searchAccounts(me, q.trim()).then((r) => {
          if (!current) return;
          setFound(r);
          if (!q.trim() && !r.offline) setNames(r.list);
        }),
      q ? 250 : 0,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [open, q]);

  useEffect(() => {
    if (open) search.current?.focus();
  }, [open]);

  async function favourite(a: Account) {
    const path = `/api/receipts/accounts/${encodeURIComponent(a.code)}/favourite`;
    try {
      await (a.favourite ? api.delete(path) : api.put(path));
      const flip = (l: Account[]) => l.map((x) => (x.code === a.code ? { ...x, favourite: !a.favourite } : x));
      setFound((f) => f && { ...f, list: flip(f.list) });
      localStorage.setItem(cacheKey(me), JSON.stringify(flip(cachedAccounts(me))));
    } catch {
      // Offline: the star simply stays as it was.
    }
  }

  const chosen = names.find((a) => a.code === value);
  const list = (found?.list ?? []).slice(0, 30);
  return (
    <div class="field">
      <span class="label" id="acct-label">
        {t("rc_account")}
      </span>
      <p class="acct-chosen" aria-labelledby="acct-label">
        {value ? (chosen ? accountText(chosen) : value) : <span class="muted">{t("rc_accountNone")}</span>}
      </p>
      {!props.disabled && !open && (
        <button type="button" class="btn" onClick={() => setOpen(true)}>
          {value ? t("rc_accountChange") : t("rc_accountChoose")}
        </button>
      )}
      {open && (
        <div class="acct-pick">
          <label for="acct-q">{t("rc_accountSearchWords")}</label>
          <input
            id="acct-q"
            ref={search}
            type="search"
            value={q}
            autocomplete="off"
            onInput={(e) => setQ(e.currentTarget.value)}
          />
          <p class="muted" role="status">
            {found == null
              ? t("loading")
              : found.offline && !found.list.length
                ? t("rc_accountOfflineNone")
                : !found.list.length
                  ? t("rc_accountNoMatch")
                  : found.offline
                    ? t("rc_accountOffline")
                    : ""}
          </p>
          <ul class="stack">
            {list.map((a) => (
              <li key={a.code} class="acct-row">
                <button
                  type="button"
                  class="btn btn-account"
                  aria-pressed={a.code === value}
                  onClick={() => {
                    setNames((n) => (n.some((x) => x.code === a.code) ? n : [...n, a]));
                    props.onPick(a.code);
                    setOpen(false);
                    setQ("");
                  }}
                >
                  <span class="acct-name">{a.name}</span> <span class="acct-code">{a.code}</span>
                  {(a.favourite || a.recent) && (
                    <span class="acct-tag">{a.favourite ? t("rc_favourite") : t("rc_recent")}</span>
                  )}
                  {a.own && <span class="acct-tag">{t("rc_accountOwn")}</span>}
                  {!!a.words?.length && <span class="acct-words">{a.words.join(", ")}</span>}
                </button>
                {!found?.offline && (
                  <button
                    type="button"
                    class="btn btn-star"
                    aria-pressed={a.favourite}
                    aria-label={t("rc_favouriteToggle", { name: accountText(a) })}
                    onClick={() => void favourite(a)}
                  >
                    {a.favourite ? "★" : "☆"}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button type="button" class="btn" onClick={() => setOpen(false)}>
            {t("rc_accountCancel")}
          </button>
        </div>
      )}
    </div>
  );
}

// ---- the list ------------------------------------------------------------------------------------

export function ReceiptList({ me }: { me: Me }) {
  const rows = useRecords(RECEIPT);
  const online = useOnline();
  // Fetch the chart of accounts now, while there is a connection, so it can be picked from offline.
  useEffect(() => {
    if (online) void searchAccounts(me, "");
  }, [online]);

  const sorted = [...(rows ?? [])].sort((a, b) => {
    // Not yet on the server = newest; then the server's last change, then the receipt's date.
    const ka = a.updated_at ?? "\uffff";
    const kb = b.updated_at ?? "\uffff";
    return kb.localeCompare(ka) || str(b.fields.date).localeCompare(str(a.fields.date));
  });
  return (
    <Page title={t("rc_listTitle")} back>
      <button type="button" class="btn btn-primary btn-big" onClick={() => go(`udlaeg/${feltSync.newId()}`)}>
        {t("rc_new")}
      </button>
      {rows == null ? (
        <p class="muted">{t("loading")}</p>
      ) : !rows.length ? (
        <p>{t("rc_none")}</p>
      ) : (
        <ul class="cards rc-list">
          {sorted.map((r) => (
            <li key={r.id}>
              <a class="card rc-item" href={`#/udlaeg/${r.id}`}>
                <span class="rc-merchant">{str(r.fields.merchant) || t("rc_noMerchant")}</span>
                <span>
                  {[r.fields.date ? showDate(r.fields.date) : "", r.fields.total ? fmtKr(r.fields.total) : ""]
                    .filter(Boolean)
                    .join(" · ") || t("rc_noDetails")}
                </span>
                <span class={`badge badge-${r.transitions.includes("submit") ? "sending" : (r.state ?? "draft")}`}>
                  {stateText(r)}
                </span>
                <ReceiptNotes r={r} />
              </a>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

// ---- one receipt ---------------------------------------------------------------------------------

export function Thumb({ hash, n }: { hash: string; n: number }) {
  const [src, setSrc] = useState<string | null>(null);
  // A file no <img> can show here (a PDF; a HEIC photo before the server made it a JPEG): a labelled tile.
  const [tile, setTile] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let alive = true;
    setTile(null);
    feltSync.photo(hash, { thumb: true }).then(
      (b) => {
        if (!alive) return;
        if (b && (b.type === "application/pdf" || b.type === "image/heic")) setTile(b.type === "application/pdf" ? "PDF" : "HEIC");
        else if (b) setSrc((url = URL.createObjectURL(b)));
        else setSrc(feltSync.photoUrl(hash));
      },
      () => alive && setSrc(feltSync.photoUrl(hash)),
    );
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [hash]);
  if (tile)
    return (
      <span class="thumb thumb-file" role="img" aria-label={t("rc_photoAlt", { n })}>
        {tile}
      </span>
    );
  return src ? (
    <img class="thumb" src={src} alt={t("rc_photoAlt", { n })} onError={() => setTile(t("rc_fileTile"))} />
  ) : (
    <span class="thumb" />
  );
}

function RecordAttention({ items }: { items: Attention[] }) {
  if (!items.length) return null;
  return (
    <div class="error" role="alert">
      {items.map((a) => (
        <div key={a.key}>
          <p>
            <strong>{a.kind === "transition" ? t("rc_notSent") : t("rejectedText")}</strong>
          </p>
          <p>{(lang === "en" && a.reason_en) || a.reason}</p>
          {a.status === "conflict" ? (
            <a class="btn" href="#/opmaerksomhed">
              {t("rc_conflictChoose")}
            </a>
          ) : (
            <button type="button" class="btn" onClick={() => void feltSync.dismiss(a.key!)}>
              {t("dismiss")}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}

const FILE_REFUSED = { type: "rc_errNotImage", damaged: "rc_errDamaged", size: "rc_errTooBig" } as const;
/** What the file pickers offer: photos (HEIC too, for iPhones' files) and PDF e-receipts. */
const ACCEPT_FILES = "image/*,.heic,.heif,application/pdf,.pdf";

type OcrStatus = { status?: string; photos?: string[]; photos_read?: string[] };
type ReadingStep = "offline" | "sending" | "queued" | "reading" | "done" | "failed";
const READING_TEXT = {
  offline: "rc_readingOffline",
  sending: "rc_readSending",
  queued: "rc_readQueued",
  reading: "rc_reading",
  done: "rc_readDone",
  failed: "rc_readFailed",
} as const;
const same = (a: string[] | undefined, b: string[]) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

/** Where the reading of these photos is: on this phone still, waiting, being read, read (the server's
 * `ocr.status` for exactly these photos), or null when there is nothing to read (no photos; paid). */
export function readingStep(
  rec: LocalRecord | undefined,
  ocr: OcrStatus,
  photos: string[],
  online: boolean,
  photosWaiting: number,
): ReadingStep | null {
  if (!photos.length || !["draft", "submitted"].includes(rec?.state ?? "draft")) return null;
  if (same(ocr.photos_read, photos) && (ocr.status === "done" || ocr.status === "failed")) return ocr.status;
  if (same(ocr.photos, photos) && (ocr.status === "queued" || ocr.status === "reading")) return ocr.status;
  if (!online) return "offline";
  // Still on this phone (the receipt or a photo): being sent. Else the server has no reading to report.
  return !rec || rec.pending > 0 || !rec.version || photosWaiting > 0 ? "sending" : null;
}

type TextName = "merchant" | "date" | "total" | "vat" | "cvr" | "purpose" | "project";

export function ReceiptEdit({ me, id }: { me: Me; id: string }) {
  const { rec, loaded } = useRecord(id);
  const online = useOnline();
  const sync = useSyncStatus();
  const [edits, setEdits] = useState<Partial<Record<TextName, string>>>({});
  const [errors, setErrors] = useState<Partial<Record<TextName, string>>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState("");
  const [fileError, setFileError] = useState("");
  const spec = useFieldSpecs(RECEIPT);
  const latest = useRef<LocalRecord | undefined>(undefined);
  latest.current = rec;
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  // What is typed and not yet saved (the field being typed) is kept on the phone: a reload or an app
  // restart puts it back, and it is saved as if the field had been left (the record keeps the rest).
  const draft = useDraft<Partial<Record<TextName, string>>>(`receipt:${id}`);
  const restored = useRef(false);

  const f: Fields = rec?.fields ?? {};
  const photos = strings(f.photos);
  const machine = strings(f.machine_read);
  const ocr = (f.ocr && typeof f.ocr === "object" ? f.ocr : {}) as OcrStatus & {
    suggestions?: Record<string, unknown>;
    reasons?: Record<string, { da?: string; en?: string }>;
    errors?: string[];
  };
  const dupes = strings(f.duplicate_of);
  const state = rec?.state ?? "draft";
  const sending = !!rec?.transitions.includes("submit");
  const editable = state === "draft" && !sending;
  const attention = (sync?.attention ?? []).filter((a) => a.record_id === id);

  /** Saves fields in order (one change after the other); editing a field confirms it (no longer machine-read). */
  function save(patch: Fields): Promise<unknown> {
    const run = async () => {
      const current = latest.current?.fields ?? {};
      const marks = strings(current.machine_read);
      const next = marks.filter((m) => !(m in patch));
      let fields = next.length !== marks.length ? { ...patch, machine_read: next } : patch;
      // A new receipt starts with every field the phone writes, as the server would default it: a later
      // change then has the server's value as its base (else null vs "" would be taken for a conflict).
      if (!latest.current) fields = { ...NEW_FIELDS, ...fields };
      try {
        await feltSync.put(RECEIPT, id, fields);
        setSaveError("");
      } catch {
        setSaveError(t("errorGeneric"));
      }
    };
    queue.current = queue.current.then(run, run);
    return queue.current;
  }

  /** What was typed, as the server keeps it ("1.234,50" → "1234.50"), checked against the declared field. */
  function read(name: TextName, raw: string) {
    const input = name === "cvr" ? raw.replace(/\s/g, "") : raw;
    return spec[name] ? feltSync.fields.parse(spec[name], input) : { value: input.trim() };
  }

  /** Why a typed value is refused, in words ("" when it is fine); a CVR number's form is said plainly. */
  function problemOf(name: TextName, raw: string): string {
    const r = read(name, raw);
    if (r.problem && spec[name])
      return name === "cvr" && r.problem.code === "pattern" ? t("rc_errCvr") : problemText(spec[name], r.problem);
    // The server's rule across two fields: VAT is at most 20 % of the amount (25 % on the price before VAT).
    const vat = name === "vat" ? r.value : read("vat", edits.vat ?? str(f.vat)).value;
    const total = name === "total" ? r.value : read("total", edits.total ?? str(f.total)).value;
    if ((name === "vat" || name === "total") && vat && total && Number(vat) > Number(total) * 0.2 + 1e-9)
      return t("rc_errVatShare");
    return "";
  }

  useEffect(() => {
    if (restored.current || !draft.loaded || !loaded) return;
    restored.current = true;
    const kept = Object.entries(draft.kept ?? {}) as [TextName, string][];
    if (!kept.length) return;
    setEdits(Object.fromEntries(kept));
    for (const [name, raw] of kept) commit(name, raw);
  }, [draft.loaded, loaded]);

  useEffect(() => {
    if (!restored.current) return;
    if (Object.keys(edits).length) draft.keep(edits);
    else void draft.clear();
  }, [edits]);

  function commit(name: TextName, raw: string | undefined = edits[name]) {
    if (raw === undefined) return;
    const problem = problemOf(name, raw);
    setErrors((e) => ({ ...e, [name]: problem || undefined }));
    if (problem) return;
    let value = read(name, raw).value as string | null;
    setEdits((e) => {
      const { [name]: _, ...rest } = e;
      return rest;
    });
    if (name !== "purpose" && !value) value = null;
    const before = str(f[name]);
    if ((value ?? "") === before && !machine.includes(name)) return;
    void save({ [name]: name === "purpose" ? (value ?? "") : value });
  }

  async function addPhotos(files: FileList | null) {
    if (!files?.length) return;
    setBusy(true);
    setFileError("");
    const added: string[] = [];
    const refused: string[] = [];
    for (const file of Array.from(files)) {
      try {
        added.push(await feltSync.addPhoto(file));
      } catch (e) {
        // Say what is wrong with the file itself; "try again" only when trying again can help.
        const why = e instanceof FileRefused ? FILE_REFUSED[e.reason] : "rc_errPhoto";
        refused.push(t(why, { name: file.name || "?" }));
      }
    }
    try {
      const now = strings(latest.current?.fields.photos);
      if (added.length) await save({ photos: [...now, ...added.filter((h) => !now.includes(h))] });
    } finally {
      if (refused.length) setFileError(refused.join(" "));
      setBusy(false);
    }
  }

  async function submit() {
    await queue.current;
    // A refused value is not saved: say so rather than send the receipt with what was there before.
    const wrong = (Object.keys(errors) as TextName[]).find((n) => errors[n]);
    if (wrong) {
      document.getElementById(`rc-${wrong}`)?.focus();
      return;
    }
    const cur = latest.current?.fields ?? {};
    const lack = REQUIRED.filter((n) => !str(cur[n]).trim());
    setMissing(lack.map((n) => t(`rc_${n}`)));
    if (lack.length) {
      document.getElementById("rc-missing")?.focus();
      return;
    }
    setBusy(true);
    try {
      await feltSync.transition(RECEIPT, id, "submit");
      await draft.clear();
      go("udlaeg");
    } catch {
      setSaveError(t("errorGeneric"));
    } finally {
      setBusy(false);
    }
  }

  async function withdraw() {
    setBusy(true);
    await feltSync.transition(RECEIPT, id, "withdraw").catch(() => setSaveError(t("errorGeneric")));
    setBusy(false);
  }

  async function removeDraft() {
    if (!confirm(t("rc_deleteConfirm"))) return;
    await queue.current;
    if (rec) await feltSync.remove(RECEIPT, id);
    await draft.clear();
    go("udlaeg");
  }

  const reading = readingStep(rec, ocr, photos, online, sync?.pendingBlobs ?? 0);
  // While the server reads, ask it often (the regular sync is every 30 s) so each step shows soon.
  useEffect(() => {
    if (!online || !["sending", "queued", "reading"].includes(reading ?? "")) return;
    const timer = setInterval(() => syncSoon(0), 3000);
    return () => clearInterval(timer);
  }, [online, reading]);

  function field(name: TextName, opts: { type?: "text" | "date"; inputMode?: "decimal" | "numeric"; hint?: string; area?: boolean } = {}) {
    const id = `rc-${name}`;
    const value = edits[name] ?? (name === "total" || name === "vat" ? showAmount(f[name]) : str(f[name]));
    const marked = machine.includes(name) && edits[name] === undefined;
    const suggestion = ocr.suggestions?.[name];
    const reason = ocr.reasons?.[name];
    const reasonText = reason ? (lang === "en" ? reason.en : reason.da) || reason.da || "" : "";
    const showSuggestion = editable && !str(f[name]) && suggestion != null && suggestion !== "";
    const describedBy = [marked && `${id}-mark`, errors[name] && `${id}-err`, opts.hint && `${id}-hint`]
      .filter(Boolean)
      .join(" ");
    const props = {
      id,
      value,
      disabled: !editable,
      "aria-describedby": describedBy || undefined,
      "aria-invalid": errors[name] ? true : undefined,
      onInput: (e: Event) => {
        const v = (e.currentTarget as HTMLInputElement).value;
        setEdits((x) => ({ ...x, [name]: v }));
        // Once a value is refused, the reason follows the typing (and goes as soon as it is right).
        if (errors[name]) setErrors((x) => ({ ...x, [name]: problemOf(name, v) || undefined }));
      },
      onBlur: () => commit(name),
      class: marked ? "machine" : undefined,
    };
    return (
      <div class="field">
        <label for={id}>{t(`rc_${name}`)}</label>
        {opts.hint && (
          <span class="muted" id={`${id}-hint`}>
            {opts.hint}
          </span>
        )}
        {opts.area ? (
          <textarea rows={3} {...props} />
        ) : opts.type === "date" ? (
          <input type="date" {...dateWindow(spec[name])} {...props} onKeyDown={(e) => e.key === "Enter" && commit(name)} />
        ) : (
          <input
            type="text"
            inputMode={opts.inputMode}
            autocomplete="off"
            {...props}
            onKeyDown={(e) => e.key === "Enter" && commit(name)}
          />
        )}
        {marked && (
          <div class="mark-row">
            <span class="mark" id={`${id}-mark`}>
              {t("rc_machine")}
            </span>
            {editable && (
              <button type="button" class="btn btn-small" onClick={() => void save({ [name]: f[name] })}>
                {t("rc_confirm", { field: t(`rc_${name}`) })}
              </button>
            )}
          </div>
        )}
        {errors[name] && (
          <span class="errors" id={`${id}-err`}>
            {errors[name]}
          </span>
        )}
        {showSuggestion && (
          <div class="note suggestion">
            <p>
              {t("rc_suggestion")}{" "}
              <strong>
                {name === "total" || name === "vat"
                  ? showAmount(suggestion)
                  : name === "date"
                    ? showDate(suggestion)
                    : str(suggestion)}
              </strong>
            </p>
            {reasonText && <p>{reasonText}</p>}
            <button type="button" class="btn" onClick={() => void save({ [name]: str(suggestion) })}>
              {t("rc_useSuggestion")}
            </button>
          </div>
        )}
        {!showSuggestion && !str(f[name]) && reasonText && OCR_FIELDS.includes(name as never) && (
          <span class="muted">{reasonText}</span>
        )}
        {!!str(f[name]) && reasonText && (
          // A warning the machine kept beside a value it filled (a date over a year old).
          <p class="note" id={`${id}-warn`}>
            {reasonText}
          </p>
        )}
      </div>
    );
  }

  if (!loaded) return <Page title={t("rc_title")} back><p class="muted">{t("loading")}</p></Page>;
  return (
    <Page title={rec ? t("rc_title") : t("rc_newTitle")}>
      <a class="back" href="#/udlaeg">
        ← {t("rc_backToList")}
      </a>
      {rec && (
        <p>
          {t("rc_status")} <span class={`badge badge-${sending ? "sending" : state}`}>{stateText(rec)}</span>
          <ReceiptNotes r={rec} />
        </p>
      )}
      <RecordAttention items={attention} />
      {sending && <p class="note">{online ? t("rc_sendingOnline") : t("rc_sendingOffline")}</p>}
      {dupes.length > 0 && (
        <div class="note" role="note">
          <p>
            <strong>{t("rc_duplicate")}</strong>
          </p>
          <ul class="plain">
            {dupes.map((d) => (
              <li key={d}>
                <a href={`#/udlaeg/${d}`}>{t("rc_duplicateLink")}</a>
              </li>
            ))}
          </ul>
        </div>
      )}

      <h2>{t("rc_photos")}</h2>
      {photos.length > 0 && (
        <ul class="thumbs">
          {photos.map((h, i) => (
            <li key={h}>
              <Thumb hash={h} n={i + 1} />
              {editable && (
                <button
                  type="button"
                  class="btn btn-small"
                  onClick={() => void save({ photos: photos.filter((x) => x !== h) })}
                >
                  {t("rc_photoRemoveN", { n: i + 1 })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <>
          <div class="field">
            <label for="rc-photo">{photos.length ? t("rc_photoMore") : t("rc_photoTake")}</label>
            <input
              id="rc-photo"
              type="file"
              accept="image/*"
              capture="environment"
              multiple
              disabled={busy}
              onChange={(e) => {
                const input = e.currentTarget;
                void addPhotos(input.files).then(() => (input.value = ""));
              }}
            />
          </div>
          <div class="field">
            <label for="rc-file">{t("rc_fileChoose")}</label>
            <span class="muted" id="rc-file-hint">
              {t("rc_fileHint")}
            </span>
            <input
              id="rc-file"
              type="file"
              accept={ACCEPT_FILES}
              multiple
              disabled={busy}
              aria-describedby="rc-file-hint"
              onChange={(e) => {
                const input = e.currentTarget;
                void addPhotos(input.files).then(() => (input.value = ""));
              }}
            />
          </div>
          {fileError && (
            <p class="error" role="alert">
              {fileError}
            </p>
          )}
        </>
      )}
      <div class="ocr-live" role="status" aria-live="polite">
        {reading && <p class={`note ocr-${reading}`}>{t(READING_TEXT[reading])}</p>}
      </div>

      <h2>{t("rc_details")}</h2>
      {field("merchant")}
      {field("date", { type: "date" })}
      {field("total", { inputMode: "decimal" })}
      {field("vat", { inputMode: "decimal" })}
      {field("cvr", { inputMode: "numeric", hint: t("rc_cvrHint") })}
      <AccountPicker me={me} value={str(f.account)} disabled={!editable} onPick={(code) => void save({ account: code })} />
      {field("purpose", { area: true, hint: t("rc_purposeHint") })}
      {field("project")}

      {saveError && (
        <p class="error" role="alert">
          {saveError}
        </p>
      )}
      <div id="rc-missing" tabIndex={-1} role="alert">
        {missing.length > 0 && <p class="error">{t("rc_missing", { list: missing.join(", ") })}</p>}
      </div>
      <div class="stack rc-actions">
        {editable && (
          <button type="button" class="btn btn-primary btn-big" disabled={busy} onClick={() => void submit()}>
            {t("rc_submit")}
          </button>
        )}
        {state === "submitted" && !rec?.transitions.includes("withdraw") && (
          <button type="button" class="btn" disabled={busy} onClick={() => void withdraw()}>
            {t("rc_withdraw")}
          </button>
        )}
        {editable && (
          <button type="button" class="btn" onClick={() => void removeDraft()}>
            {t("rc_delete")}
          </button>
        )}
      </div>
    </Page>
  );
}
