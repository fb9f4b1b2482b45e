// Ask to be installed: iOS evicts the data of sites that are not on the home screen after a while.
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n";

interface InstallPrompt extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: "accepted" | "dismissed" }>;
}

const KEY = "felt.install";
let deferred: InstallPrompt | null = null;
const waiting = new Set<() => void>();

/** Call at start: Chrome fires beforeinstallprompt early, before any screen is shown. */
export function captureInstallPrompt(): void {
  addEventListener("beforeinstallprompt", (e) => {
    e.preventDefault(); // our own card asks, at a calm moment, instead of Chrome's bar
    deferred = e as InstallPrompt;
    waiting.forEach((f) => f());
  });
  addEventListener("appinstalled", () => {
    deferred = null;
    localStorage.setItem(KEY, "installed");
    waiting.forEach((f) => f());
  });
}

function installed(): boolean {
  return (
    matchMedia("(display-mode: standalone)").matches ||
    (navigator as unknown as { standalone?: boolean }).standalone === true
  );
}

function isIos(): boolean {
  const ua = navigator.userAgent;
  return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
}

export function InstallHint() {
  const [, setTick] = useState(0);
  const [hidden, setHidden] = useState(() => !!localStorage.getItem(KEY) || installed());
  useEffect(() => {
    const f = () => setTick((n) => n + 1);
    waiting.add(f);
    return () => void waiting.delete(f);
  }, []);

  const close = () => {
    localStorage.setItem(KEY, "dismissed");
    setHidden(true);
  };
  if (hidden || localStorage.getItem(KEY)) return null;

  if (deferred)
    return (
      <section class="card install" aria-labelledby="install-title">
        <h2 id="install-title">{t("installTitle")}</h2>
        <p>{t("installText")}</p>
        <div class="row">
          <button
            type="button"
            class="btn btn-primary"
            onClick={async () => {
              const p = deferred;
              deferred = null;
              await p?.prompt();
              const choice = await p?.userChoice;
              if (choice?.outcome === "accepted") close();
              else setTick((n) => n + 1);
            }}
          >
            {t("installButton")}
          </button>
          <button type="button" class="btn" onClick={close}>
            {t("installLater")}
          </button>
        </div>
      </section>
    );
  if (isIos())
    return (
      <section class="card install" aria-labelledby="install-title">
        <h2 id="install-title">{t("iosTitle")}</h2>
        <p>{t("iosText")}</p>
        <button type="button" class="btn" onClick={close}>
          {t("close")}
        </button>
      </section>
    );
  return null;
}
