// The secretary's invitations (tablet or desktop): invite a substitute or relief family outside the
// municipality's directory to one of her units by e-mail, see who is invited, and withdraw an invitation.
// The invited person signs in with a code by e-mail (CodeSignIn) and sees only her own hours.
import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import { t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Page, Status } from "./Layout";
import { showDate } from "./records";

interface Invitation {
  id: number;
  unit_id: number;
  unit_name: string;
  name: string;
  email: string;
  invited_at: string;
  withdrawn_at: string | null;
  created: boolean;
}

/** The units she is secretary of (her grants), id → name. */
function secretaryUnits(me: Me): [string, string][] {
  const units = new Map<string, string>();
  for (const g of me.roles) if (g.role === "secretary" && g.unit_id != null) units.set(String(g.unit_id), g.unit_name ?? "?");
  return [...units];
}

const day = (iso: string) => showDate(iso.slice(0, 10));

export function SubstituteInvitations({ me }: { me: Me }) {
  const units = secretaryUnits(me);
  const list = useLoad(() => api.get<Invitation[]>("/api/substitutes/invitations"), []);
  const [form, setForm] = useState({ unit: units[0]?.[0] ?? "", name: "", email: "" });
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function invite(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError("");
    setMessage("");
    try {
      const made = await api.post<Invitation>("/api/substitutes/invitations", { unit: Number(form.unit), name: form.name, email: form.email });
      setMessage(made.created ? t("vi_invited", { name: made.name }) : t("vi_already", { name: made.name, unit: made.unit_name }));
      setForm({ ...form, name: "", email: "" });
      list.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function withdraw(inv: Invitation) {
    setError("");
    try {
      await api.post(`/api/substitutes/invitations/${inv.id}/withdraw`);
      list.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <Page title={t("vi_title")} back>
      <p>{t("vi_intro")}</p>
      <form class="card big-fields" onSubmit={(e) => void invite(e)}>
        {units.length > 1 && (
          <div class="field">
            <label for="vi-unit">{t("vi_unit")}</label>
            <select id="vi-unit" value={form.unit} onChange={(e) => setForm({ ...form, unit: e.currentTarget.value })}>
              {units.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="vi-name">{t("vi_name")}</label>
          <input id="vi-name" required autoComplete="off" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="vi-email">{t("vi_email")}</label>
          <input id="vi-email" type="email" required autoComplete="off" value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        </div>
        <button type="submit" class="btn btn-primary btn-big" disabled={busy || !form.unit}>
          {t("vi_invite")}
        </button>
        {message && <p role="status">{message}</p>}
        {error && (
          <p class="errors" role="alert">
            {error}
          </p>
        )}
      </form>
      <Status loading={list.loading} error={list.error} onRetry={list.reload} />
      {list.data && !list.data.length && <p class="muted">{t("vi_none")}</p>}
      <ul class="stack invitations">
        {(list.data ?? []).map((inv) => (
          <li key={inv.id} class="card">
            <strong>{inv.name}</strong> · {inv.email} · {inv.unit_name}
            <br />
            <span class="muted">{inv.withdrawn_at ? t("vi_withdrawn", { date: day(inv.withdrawn_at) }) : t("vi_active", { date: day(inv.invited_at) })}</span>
            {!inv.withdrawn_at && (
              <button type="button" class="btn" aria-label={`${t("vi_withdraw")}: ${inv.name}`} onClick={() => void withdraw(inv)}>
                {t("vi_withdraw")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </Page>
  );
}
