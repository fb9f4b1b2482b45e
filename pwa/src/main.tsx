import { render } from "preact";
import { App } from "./app/App";
import { captureInstallPrompt } from "./app/install";
import { startAutoSync } from "./app/sync";
import { feltSync, type FeltSync } from "./data";
import { applyLang, lang } from "./i18n";
import "./styles.css";

declare global {
  interface Window {
    /** The offline data API, for tests and for workflows' scripts (same-origin code only). */
    feltSync: FeltSync;
  }
}

applyLang();
feltSync.setLanguage(lang);
window.feltSync = feltSync;
captureInstallPrompt();
render(<App />, document.getElementById("app")!);
startAutoSync();

// The service worker (src/sw.ts, built by vite-plugin-pwa) precaches the shell so Felt opens offline,
// and syncs by Background Sync.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // No service worker (private mode, old browser): the app still works online.
    });
  });
}
