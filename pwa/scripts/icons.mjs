// Writes the app icons (public/icons/*.png) with no dependencies: a white "F" on Felt green.
// Run `npm run icons` after changing the design; the PNGs are committed.
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const GREEN = [0x0b, 0x5d, 0x3b];
const WHITE = [0xff, 0xff, 0xff];
// The "F" in units of the icon's size: [x0, y0, x1, y1] rectangles.
const F = [
  [0.33, 0.23, 0.45, 0.77],
  [0.33, 0.23, 0.7, 0.35],
  [0.33, 0.45, 0.63, 0.56],
];

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** maskable: full-bleed background and a smaller glyph, inside the 80 % safe circle. */
function icon(size, maskable) {
  const radius = maskable ? 0 : 0.19;
  const scale = maskable ? 0.8 : 1;
  const inside = (u, v) => {
    // Rounded square: outside the corner circles is transparent.
    const cx = Math.min(Math.max(u, radius), 1 - radius);
    const cy = Math.min(Math.max(v, radius), 1 - radius);
    return (u - cx) ** 2 + (v - cy) ** 2 <= radius ** 2;
  };
  const glyph = (u, v) => {
    const [gu, gv] = [0.5 + (u - 0.5) / scale, 0.5 + (v - 0.5) / scale];
    return F.some(([x0, y0, x1, y1]) => gu >= x0 && gu < x1 && gv >= y0 && gv < y1);
  };
  const S = 4; // 4×4 samples per pixel for smooth edges
  return png(size, (x, y) => {
    let bg = 0;
    let fg = 0;
    for (let i = 0; i < S; i++)
      for (let j = 0; j < S; j++) {
        const u = (x + (i + 0.5) / S) / size;
        const v = (y + (j + 0.5) / S) / size;
        if (!inside(u, v)) continue;
        bg++;
        if (glyph(u, v)) fg++;
      }
    if (!bg) return [0, 0, 0, 0];
    const mix = fg / bg;
    const rgb = GREEN.map((g, k) => Math.round(g + (WHITE[k] - g) * mix));
    return [...rgb, Math.round((255 * bg) / (S * S))];
  });
}

const dir = new URL("../public/icons/", import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, size, maskable] of [
  ["icon-192.png", 192, false],
  ["icon-512.png", 512, false],
  ["maskable-512.png", 512, true],
]) {
  writeFileSync(new URL(name, dir), icon(size, maskable));
  console.log(`public/icons/${name}`);
}
