// The leader's one inbox (tablet first): everything waiting for them as one list, sorted by the server by
// deadline (the payroll cut-off) and then by how long it has waited. Each item shows its type, person, amount
// or hours, the rules' badges and its deadline. "Godkend alle N" asks first and settles only the rule-clean
// items; an item with a blocking badge is decided on its own, with a reason. Offline, decisions are queued on
// the device (inboxQueue.ts) and the server applies none whose item changed meanwhile. Approved items can be
// reopened with a reason (audited). How each record type's details read is its workflow's `inbox` entry.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Me } from "../api";
import type { ServerRecord } from "../data";
import { label, lang, t } from "../i18n";
import { errorText, useLoad, useOnline } from "./hooks";
import { type Answer, type Decision, enqueue, flush, queued } from "./inboxQueue";
import { keptGet } from "./kept";
import { Page, Status } from "./Layout";
import { fmtKr, showDate, str } from "./records";
import { StandIns } from "./StandIns";
import { recordKind } from "./workflows";

interface Badge {
  code: string;
  da: string;
  en: string;
  blocking: boolean;
}

export interface Item {
  record: ServerRecord & { fields: Record<string, unknown> };
  owner_name: string;
  employee_number: string | null;
  actions: string[];
  title: string;
  title_en: string;
  day: string | null;
  amount: string | null;
  hours: string | null;
  badges: Badge[];
  blocked: boolean;
  deadline: string | null;
  waiting_since: string | null;
  on_behalf_of: string | null;
  with_stand_in: string | null;
}

interface Result {
  n: number;
  status: string;
  reason?: string;
  reason_en?: string;
}

const cacheKey = (me: Me): string => `felt.inbox.items.v1.${me.id}`;
const words = (da: string, en: string | undefined): string => (lang === "en" && en) || da;
const titleOf = (i: Item): string => words(i.title, i.title_en) || label("type", i.record.type);

/** The list from the server, kept on the device for a leader who opens the inbox offline. */
async function loadItems(me: Me): Promise<{ items: Item[]; offline: boolean }> {
  const { data, offline } = await keptGet<Item[]>("/api/inbox", cacheKey(me));
  return { items: data, offline };
}

/** A reason, then a confirming button: a rejection's, a blocked item's approval, a reopening. */
export function Reasoned(props: { id: string; label: string; confirm: string; onDone: (note: string) => Promise<void>; onCancel: () => void }) {
  const [note, setNote] = useState("");
  const [sending, setSending] = useState(false);
  const sent = useRef(false); // a double click's second event can come before the disabled button renders
  async function confirm() {
    if (sent.current) return;
    sent.current = true;
    setSending(true);
    try {
      await props.onDone(note.trim());
    } finally {
      sent.current = false;
      setSending(false);
    }
  }
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <textarea id={props.id} rows={2} required value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <div class="row">
        <button type="button" class="btn btn-primary" disabled={!note.trim() || sending} aria-busy={sending} onClick={() => void confirm()}>
          {props.confirm}
        </button>
        <button type="button" class="btn" onClick={props.onCancel}>
          {t("ib_cancel")}
        </button>
      </div>
    </div>
  );
}

/** The line every item shares: type and person, what and how much (unless its workflow's details say it), the
 * deadline, the rules' badges. */
export function ItemHead({ item, decided, details }: { item: Item; decided?: boolean; details?: boolean }) {
  const amount = item.amount != null ? fmtKr(item.amount) : item.hours != null ? t("ib_hours", { n: item.hours }) : "";
  return (
    <>
      <h2 class="inbox-head">
        <span class="inbox-type">{label("type", item.record.type)}</span> {item.owner_name}
      </h2>
      {!details && (
        <p class="inbox-line">
          <strong>{titleOf(item)}</strong>
          {amount && <> · <strong>{amount}</strong></>}
        </p>
      )}
      {!decided && (
        <p class="muted">
          {item.deadline ? t("ib_deadline", { date: showDate(item.deadline) }) : t("ib_noDeadline")}
          {item.on_behalf_of && ` · ${t("ib_onBehalf", { name: item.on_behalf_of })}`}
          {item.with_stand_in && ` · ${t("ib_withStandIn", { name: item.with_stand_in })}`}
        </p>
      )}
      {item.badges.length > 0 && (
        <ul class="rule-badges" aria-label={t("ib_badges")}>
          {item.badges.map((b) => (
            <li key={b.code} class={b.blocking ? "rule-badge rule-badge-blocking" : "rule-badge"}>
              {b.blocking && <span class="sr-only">{t("ib_blocking")}: </span>}
              {words(b.da, b.en)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function answerText(a: Answer): string {
  if (a.status === "applied") return "";
  const why = words(a.reason ?? "", a.reason_en);
  return a.status === "conflict" ? t("ib_changed", { title: a.decision.title }) : t("ib_refusedItem", { title: a.decision.title, reason: why });
}

function Decided({ onChange }: { onChange: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const list = useLoad(() => (open ? api.get<Item[]>("/api/inbox/decided") : Promise.resolve([] as Item[])), [open]);
  const [reopening, setReopening] = useState<string | null>(null);
  async function reopen(i: Item, reason: string) {
    try {
      await api.post(`/api/inbox/${i.record.type}/${str(i.record.id)}/reopen`, { reason, seen: i.record.version });
      setReopening(null);
      onChange(t("ib_reopened", { title: titleOf(i) }));
      list.reload();
    } catch (e) {
      onChange(errorText(e));
    }
  }
  return (
    <section class="inbox-decided" aria-labelledby="ib-decided">
      <h2 id="ib-decided">{t("ib_decidedTitle")}</h2>
      {!open ? (
        <button type="button" class="btn" onClick={() => setOpen(true)}>
          {t("ib_decidedShow")}
        </button>
      ) : list.error ? (
        <Status error={list.error} onRetry={list.reload} />
      ) : list.loading && !list.data ? (
        <p class="muted">{t("loading")}</p>
      ) : !list.data?.length ? (
        <p>{t("ib_decidedNone")}</p>
      ) : (
        <ul class="stack">
          {list.data.map((i) => {
            const id = str(i.record.id);
            return (
              <li key={id} class="card inbox-item">
                <ItemHead item={i} decided />
                <p class="muted">{t("ib_lockedNote")}</p>
                {reopening === id ? (
                  <Reasoned
                    id={`ib-reopen-${id}`}
                    label={t("ib_reopenReason")}
                    confirm={t("ib_reopenConfirm")}
                    onCancel={() => setReopening(null)}
                    onDone={(note) => reopen(i, note)}
                  />
                ) : (
                  <button type="button" class="btn" onClick={() => setReopening(id)}>
                    {t("ib_reopen")}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The list, reloaded on demand; `refresh` resolves once the new list is shown (so nothing is decided on an old
 * version of an item the server has just said has changed). */
function useItems(me: Me) {
  const [state, setState] = useState<{ data?: { items: Item[]; offline: boolean }; error: string; loading: boolean }>({
    error: "",
    loading: true,
  });
  const refresh = async () => {
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loadItems(me);
      setState({ data, error: "", loading: false });
    } catch (e) {
      setState((s) => ({ ...s, error: errorText(e), loading: false }));
    }
  };
  useEffect(() => void refresh(), []);
  return { ...state, reload: () => void refresh(), refresh };
}

export function Inbox({ me }: { me: Me }) {
  const inbox = useItems(me);
  const online = useOnline();
  const [pending, setPending] = useState<Decision[]>(() => queued(me.id));
  const [open, setOpen] = useState<{ id: string; why: "reject" | "approve"; action: string } | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);

  // Send what was decided offline as soon as there is a connection, and say what the server did with it.
  useEffect(() => {
    if (!online) return;
    if (!queued(me.id).length) {
      if (inbox.data?.offline) void inbox.refresh(); // the list shown is the kept one: fetch today's
      return;
    }
    void flush(me.id).then(async (answers) => {
      if (answers.length) await inbox.refresh();
      setPending(queued(me.id));
      if (!answers.length) return;
      const done = answers.filter((a) => a.status === "applied").length;
      setMessage([done ? t("ib_queuedSent", { n: done }) : "", ...answers.map(answerText)].filter(Boolean).join(" "));
    });
  }, [online]);

  const queuedIds = new Set(pending.map((d) => d.id));
  // An item the leader's stand-in decides in the period is shown read-only (the server gives it no actions).
  const items = (inbox.data?.items ?? []).filter((i) => i.actions.length || i.with_stand_in);
  const settleAll = items.filter((i) => {
    const kind = recordKind(i.record.type)?.inbox;
    return kind && !i.blocked && !queuedIds.has(str(i.record.id)) && i.actions.includes(kind.all) && (!kind.ready || kind.ready(i.record.fields));
  });

  async function act(decisions: Decision[]) {
    setBusy(true);
    const toQueue = () => {
      enqueue(me.id, decisions);
      setPending(queued(me.id));
      setMessage(t("ib_queued", { n: decisions.length }));
    };
    try {
      if (!navigator.onLine) return toQueue();
      const answers: Answer[] = [];
      const groups = new Map<string, Decision[]>();
      for (const d of decisions) groups.set(`${d.type}|${d.transition}`, [...(groups.get(`${d.type}|${d.transition}`) ?? []), d]);
      for (const group of groups.values()) {
        const { type, transition, note } = group[0];
        const seen = Object.fromEntries(group.map((d) => [d.id, d.version]));
        const results = await api.post<Result[]>(`/api/inbox/${type}/${transition}`, { ids: group.map((d) => d.id), note, seen });
        results.forEach((r) => answers.push({ decision: group[r.n - 1], status: r.status, reason: r.reason, reason_en: r.reason_en }));
      }
      const done = answers.filter((a) => a.status === "applied");
      const rejecting = decisions[0]?.transition === "reject";
      setMessage(
        [rejecting ? (done.length ? t("ib_rejected") : "") : t("ib_done", { n: done.length }), ...answers.map(answerText)].filter(Boolean).join(" "),
      );
      await inbox.refresh();
      setOpen(null);
      setConfirmAll(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) toQueue();
      else setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const decision = (i: Item, transition: string, note?: string): Decision => ({
    type: i.record.type,
    transition,
    id: str(i.record.id),
    version: Number(i.record.version),
    note: note || undefined,
    title: `${titleOf(i)}, ${i.owner_name}`,
  });

  const cutoff = me.municipality.payroll_cutoff_day ?? 18;
  return (
    <Page title={t("ib_title")} back>
      <p class="note">{t("ib_cutoff", { day: cutoff })}</p>
      {inbox.data?.offline && <p class="mark">{t("ib_offlineList")}</p>}
      {pending.length > 0 && <p class="mark">{t("ib_waitingToSend", { n: pending.length })}</p>}
      <p role="status">{message}</p>
      {inbox.loading && !inbox.data ? (
        <p class="muted">{t("loading")}</p>
      ) : inbox.error ? (
        <Status error={inbox.error} onRetry={inbox.reload} />
      ) : !items.length ? (
        <p>{t("ib_none")}</p>
      ) : (
        <>
          {settleAll.length > 0 &&
            (confirmAll ? (
              <div class="card inbox-confirm" role="group" aria-labelledby="ib-confirm-q">
                <p id="ib-confirm-q">
                  <strong>{t("ib_confirmAll", { n: settleAll.length })}</strong>
                </p>
                {items.some((i) => i.blocked) && <p>{t("ib_confirmAllBlocked", { n: items.filter((i) => i.blocked).length })}</p>}
                <div class="row">
                  <button
                    type="button"
                    class="btn btn-primary btn-big"
                    disabled={busy}
                    onClick={() => void act(settleAll.map((i) => decision(i, recordKind(i.record.type)!.inbox!.all)))}
                  >
                    {t("ib_confirmAllYes", { n: settleAll.length })}
                  </button>
                  <button type="button" class="btn" onClick={() => setConfirmAll(false)}>
                    {t("ib_cancel")}
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" class="btn btn-primary btn-big" disabled={busy} onClick={() => setConfirmAll(true)}>
                {t("ib_approveAll", { n: settleAll.length })}
              </button>
            ))}
          <ul class="stack inbox-list">
            {items.map((i) => {
              const kind = recordKind(i.record.type)?.inbox;
              const id = str(i.record.id);
              const isQueued = queuedIds.has(id);
              const approvals = i.actions.filter((a) => a !== "reject");
              return (
                <li key={id} class={`card inbox-item${i.blocked ? " inbox-flagged" : ""}`} aria-label={`${label("type", i.record.type)}: ${titleOf(i)}, ${i.owner_name}`}>
                  <ItemHead item={i} details={!!kind} />
                  {kind ? <kind.Body fields={i.record.fields} /> : <p>{t("ib_other", { type: label("type", i.record.type), state: str(i.record.state) })}</p>}
                  {isQueued ? (
                    <p class="mark">{t("ib_itemQueued")}</p>
                  ) : !i.actions.length ? (
                    <p class="mark">{t("ib_standInDecides", { name: i.with_stand_in ?? "" })}</p>
                  ) : open?.id === id ? (
                    <Reasoned
                      id={`ib-reason-${id}`}
                      label={open.why === "reject" ? t("ib_rejectReason") : t("ib_approveReason")}
                      confirm={open.why === "reject" ? t("ib_rejectConfirm") : t("ib_approveConfirm")}
                      onCancel={() => setOpen(null)}
                      onDone={(note) => act([decision(i, open.action, note)])}
                    />
                  ) : (
                    <div class="row">
                      {approvals.map((a) => (
                        <button
                          key={a}
                          type="button"
                          class="btn"
                          disabled={busy}
                          onClick={() => (i.blocked ? setOpen({ id, why: "approve", action: a }) : void act([decision(i, a)]))}
                        >
                          {label("transition", a)}
                        </button>
                      ))}
                      {i.actions.includes("reject") && (
                        <button type="button" class="btn" disabled={busy} onClick={() => setOpen({ id, why: "reject", action: "reject" })}>
                          {t("ib_reject")}
                        </button>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <Decided onChange={(m) => (setMessage(m), inbox.reload())} />
      <StandIns me={me} />
    </Page>
  );
}
