import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// The backend (python -m backend serve) answers /api and /auth; `npm run dev` proxies to it.
const backend = process.env.FELT_BACKEND ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      // src/main.tsx registers /sw.js itself: no inline script (CSP-friendly), no workbox-window in the bundle.
      injectRegister: false,
      registerType: "autoUpdate",
      // Our own service worker (src/sw.ts): Workbox precaching and navigation fallback, plus the
      // Background Sync handler that runs the same sync code as the page (src/data).
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      manifest: {
        name: "Felt",
        short_name: "Felt",
        description: "Kvitteringer, kørsel, vagter og timer – én app til kommunens medarbejdere.",
        lang: "da",
        start_url: "/",
        scope: "/",
        display: "standalone",
        theme_color: "#0b5d3b",
        background_color: "#f6f7f5",
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      injectManifest: {
        // Only the shell is precached; sw.ts never caches /api, /auth or /schema.
        globPatterns: ["**/*.{js,css,html,svg}"],
        // A classic script, not a module: every browser with service workers can run it.
        rollupFormat: "iife",
      },
    }),
  ],
  build: { target: "es2020" },
  server: {
    host: "127.0.0.1",
    proxy: { "/api": backend, "/auth": backend },
  },
});
