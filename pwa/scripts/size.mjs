// Prints the gzipped size of the JS and CSS that `npm run build` put in dist/ (what a phone downloads).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const dist = new URL("../dist/", import.meta.url).pathname;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(js|css)$/.test(name)) yield path;
  }
}

let app = 0;
for (const path of files(dist)) {
  const gz = gzipSync(readFileSync(path), { level: 9 }).length;
  // The service worker and Workbox run apart from the page; list them, but count only the app.
  const sw = /(^|\/)(sw|workbox-[^/]*)\.js$/.test(path);
  if (!sw) app += gz;
  console.log(`${(gz / 1024).toFixed(1).padStart(7)} kB  ${relative(dist, path)}${sw ? "  (service worker)" : ""}`);
}
console.log(`${(app / 1024).toFixed(1).padStart(7)} kB  total JS+CSS gzipped (app)`);
