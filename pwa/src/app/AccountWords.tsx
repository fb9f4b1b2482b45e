// The admin's everyday words for finding accounts ("kaffe" finds the food accounts): the municipality's own
// list, kept on the server and sent with every account so phones search by them offline too.
import { useState } from "preact/hooks";
import { api } from "../api";
import { t } from "../i18n";
import { errorText, useLoad } from "./hooks";
import { Status } from "./Layout";

interface Word {
  word: string;
  means: string;
  accounts?: number;
}

export function AccountWords() {
  const loaded = useLoad(() => api.get<Word[]>("/api/admin/account-words"), []);
  const [rows, setRows] = useState<Word[] | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const shown = rows ?? loaded.data;

  async function save(e: Event) {
    e.preventDefault();
    if (!shown) return;
    setMessage("");
    setError("");
    const body = shown.filter((w) => w.word.trim() || w.means.trim()).map(({ word, means }) => ({ word, means }));
    try {
      setRows(await api.put<Word[]>("/api/admin/account-words", body));
      setMessage(t("aw_saved"));
    } catch (err) {
      setError(errorText(err));
    }
  }

  if (!shown) return <Status loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} />;
  const edit = (i: number, patch: Partial<Word>) =>
    setRows(shown.map((w, j) => (j === i ? { ...w, ...patch, accounts: undefined } : w)));
  return (
    <form class="card" onSubmit={(e) => void save(e)} aria-labelledby="aw-title" noValidate>
      <h2 id="aw-title">{t("aw_title")}</h2>
      <p class="muted">{t("aw_intro")}</p>
      <ul class="stack plain">
        {shown.map((w, i) => (
          <li key={i} class="aw-row">
            <div class="field">
              <label for={`aw-word-${i}`}>{t("aw_word", { n: i + 1 })}</label>
              <input id={`aw-word-${i}`} type="text" autocomplete="off" value={w.word} onInput={(e) => edit(i, { word: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for={`aw-means-${i}`}>{t("aw_means", { n: i + 1 })}</label>
              <input id={`aw-means-${i}`} type="text" autocomplete="off" value={w.means} onInput={(e) => edit(i, { means: e.currentTarget.value })} />
              {w.accounts !== undefined && (
                <span class={w.accounts ? "muted" : "errors"}>{w.accounts === 1 ? t("aw_found1") : t("aw_found", { n: w.accounts })}</span>
              )}
            </div>
            <button type="button" class="btn btn-small" onClick={() => setRows(shown.filter((_, j) => j !== i))}>
              {t("aw_remove", { word: w.word || String(i + 1) })}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="btn" onClick={() => setRows([...shown, { word: "", means: "" }])}>
        {t("aw_add")}
      </button>
      <button type="submit" class="btn btn-primary">
        {t("aw_save")}
      </button>
      <p aria-live="polite">{message}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
