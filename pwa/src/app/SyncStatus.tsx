import type { SyncStatus } from "../data";
import { feltSync } from "../data";
import { lang, t } from "../i18n";

const pad = (n: number) => String(n).padStart(2, "0");

function syncedText(iso: string | null): string {
  if (!iso) return t("syncNever");
  const d = new Date(iso);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === new Date().toDateString()) return t("syncLastToday", { time });
  const date = d.toLocaleDateString(lang === "da" ? "da-DK" : "en-GB", { day: "numeric", month: "short" });
  return t("syncLastDate", { date, time });
}

async function update(): Promise<void> {
  // Fetch the new service worker (it takes over at once), then load the new app.
  try {
    await (await navigator.serviceWorker?.getRegistration())?.update();
  } catch {
    // Offline or no service worker: a plain reload still gets the new files when online.
  }
  location.reload();
}

/** Always in the header while someone is logged in: what waits, when it last worked, what needs attention. */
export function SyncBar({ status, loggedIn }: { status: SyncStatus; loggedIn: boolean }) {
  const { pending, pendingBlobs } = status;
  const attention = loggedIn ? status.attention : [];
  return (
    <div class="sync">
      <p class="sync-text">
        {/* Only what waits is announced; the time changes at every sync and would be noise. */}
        <span class="sync-live" aria-live="polite">
          <span class={pending ? "sync-wait" : undefined}>
            {pending === 1
              ? t("syncPendingOne")
              : pending
                ? t("syncPendingMany", { n: pending })
                : t("syncAllSent")}
          </span>
          {pendingBlobs > 0 && (
            <span class="sync-wait">
              {pendingBlobs === 1 ? t("syncPhotosOne") : t("syncPhotosMany", { n: pendingBlobs })}
            </span>
          )}
        </span>
        <span class="sync-when">
          {status.syncing && (pending || pendingBlobs) ? t("syncBusy") : syncedText(status.lastSyncAt)}
        </span>
      </p>
      {loggedIn && (attention.length > 0 || (pending > 0 && status.online && !status.needsLogin)) && (
        <div class="sync-actions">
          {attention.length > 0 && (
            <a class="sync-attn" href="#/opmaerksomhed">
              {t("attentionLink", { n: attention.length })}
            </a>
          )}
          {pending > 0 && status.online && !status.needsLogin && !status.updateRequired && (
            <button
              type="button"
              class="btn btn-small"
              disabled={status.syncing}
              onClick={() => void feltSync.syncNow()}
            >
              {t("syncNow")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** A lapsed log-in or an outdated app stops sending: say so plainly, and what to do. */
export function SyncBanners({ status, onLogin }: { status: SyncStatus; onLogin?: () => void }) {
  return (
    <>
      {status.needsLogin && (
        <div class="banner" role="alert">
          <p>{t("syncNeedsLogin")}</p>
          {onLogin && (
            <button type="button" class="btn btn-primary" onClick={onLogin}>
              {t("syncLogin")}
            </button>
          )}
        </div>
      )}
      {status.updateRequired && (
        <div class="banner" role="alert">
          <p>{t("syncUpdate")}</p>
          <button type="button" class="btn btn-primary" onClick={() => void update()}>
            {t("syncUpdateButton")}
          </button>
        </div>
      )}
    </>
  );
}
