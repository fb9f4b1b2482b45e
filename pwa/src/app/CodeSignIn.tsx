// Signing in with a one-time code by e-mail, for people the secretary invited (substitutes, relief families
// outside the municipality's directory). One page for both steps: the address, then the code. Big targets;
// the server's words (Danish or English) on a refusal. People in the directory use the ordinary log-in.
import { useState } from "preact/hooks";
import { api } from "../api";
import { lang, t } from "../i18n";
import { errorText } from "./hooks";
import { Page } from "./Layout";

interface Sent {
  detail: string;
  detail_en: string;
}

export function CodeSignIn() {
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function ask(e?: Event) {
    e?.preventDefault();
    setBusy(true);
    setError("");
    try {
      const answer = await api.post<Sent>("/auth/code", { email: email.trim() });
      setSent(lang === "en" ? answer.detail_en : answer.detail);
      setCode("");
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function signIn(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await api.post("/auth/code/sign-in", { email: email.trim(), code });
      location.hash = "#/vikar";
      location.reload(); // the app starts again as her, with her hours
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <Page title={t("vl_title")}>
      {!sent ? (
        <form class="card big-fields" onSubmit={(e) => void ask(e)}>
          <p>{t("vl_intro")}</p>
          <div class="field">
            <label for="vl-email">{t("vl_email")}</label>
            <input id="vl-email" type="email" autoComplete="email" inputMode="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </div>
          <button type="submit" class="btn btn-primary btn-big" disabled={busy || !email.trim()}>
            {t("vl_send")}
          </button>
        </form>
      ) : (
        <form class="card big-fields" onSubmit={(e) => void signIn(e)}>
          <p role="status">{sent}</p>
          <div class="field">
            <label for="vl-code">{t("vl_code")}</label>
            <input
              id="vl-code"
              class="code-input"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={7}
              size={8}
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="btn btn-primary btn-big" disabled={busy || code.replace(/\D/g, "").length < 6}>
            {t("vl_signIn")}
          </button>
          <button type="button" class="btn" disabled={busy} onClick={() => void ask()}>
            {t("vl_again")}
          </button>
          <button type="button" class="btn" onClick={() => (setSent(""), setError(""))}>
            {t("vl_otherAddress")}
          </button>
        </form>
      )}
      {error && (
        <p class="errors" role="alert">
          {error}
        </p>
      )}
      <p class="muted">{t("vl_employees")}</p>
      <p>
        <a class="btn" href="#/">
          {t("vl_back")}
        </a>
      </p>
    </Page>
  );
}
