// A receipt drawn for the leader's review, as the inbox shows it: what was bought, on which account and
// why, why it was drawn, and its photos (a tap opens one large, in a modal dialog that Esc closes).
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import { feltSync, type Fields } from "../data";
import { lang, t } from "../i18n";
import { Facts } from "./Layout";
import { fmtKr, showDate, str } from "./records";
import { type Account, reviewReason, Thumb } from "./Receipts";

// The chart of accounts, fetched once per page for the inbox: a receipt shows its account's name, not its code.
let chart: Promise<Map<string, string>> | null = null;
function accountNames(): Promise<Map<string, string>> {
  chart ??= api.get<Account[]>("/api/receipts/accounts").then(
    (list) => new Map(list.map((a) => [a.code, a.name])),
    () => ((chart = null), new Map<string, string>()),
  );
  return chart;
}

/** "Kontorartikler (1-2.9)": the name first, then the code; the code alone until the names are known. */
function useAccountName(code: string): string {
  const [name, setName] = useState("");
  useEffect(() => {
    if (code) void accountNames().then((names) => setName(names.get(code) ?? ""));
  }, [code]);
  return name ? `${name} (${code})` : code;
}

function Photos({ hashes }: { hashes: string[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open != null && !dialog.current?.open) dialog.current?.showModal();
  }, [open]);
  if (!hashes.length) return null;
  return (
    <>
      <ul class="thumbs">
        {hashes.map((h, i) => (
          <li key={h}>
            <button type="button" class="thumb-btn" aria-label={t("ib_photoOpen", { n: i + 1 })} onClick={() => setOpen(i)}>
              <Thumb hash={h} n={i + 1} />
            </button>
          </li>
        ))}
      </ul>
      {open != null && (
        <dialog ref={dialog} class="photo-dialog" aria-label={t("rc_photoAlt", { n: open + 1 })} onClose={() => setOpen(null)}>
          <button type="button" class="btn" onClick={() => dialog.current?.close()}>
            {t("close")}
          </button>
          <img src={feltSync.photoUrl(hashes[open])} alt={t("rc_photoAlt", { n: open + 1 })} />
        </dialog>
      )}
    </>
  );
}

export function ReceiptReview({ fields }: { fields: Fields }) {
  const account = useAccountName(str(fields.account));
  const facts: [string, string][] = [
    [t("ib_vat"), fields.vat ? fmtKr(fields.vat) : "–"],
    [t("ib_account"), account || "–"],
    [t("ib_purpose"), str(fields.purpose) || "–"],
  ];
  if (fields.project) facts.push([t("ib_project"), str(fields.project)]);
  const why = reviewReason(fields);
  const ocr = (fields.ocr ?? {}) as { reasons?: Record<string, { da?: string; en?: string; code?: string }> };
  const dateWarning = ocr.reasons?.date?.code === "date_old" ? ocr.reasons.date : undefined;
  return (
    <>
      <p>
        <strong>{str(fields.merchant) || t("rc_noMerchant")}</strong> · {showDate(fields.date)} · <strong>{fmtKr(fields.total)}</strong>
      </p>
      <Facts rows={facts} wide />
      {why && <p class="mark">{t("ib_why", { reason: why })}</p>}
      {dateWarning && <p class="mark">{(lang === "en" ? dateWarning.en : dateWarning.da) ?? dateWarning.da}</p>}
      <Photos hashes={Array.isArray(fields.photos) ? (fields.photos as string[]) : []} />
    </>
  );
}
