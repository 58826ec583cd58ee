// Draws the app icon (a lifebuoy: a white ring with four red bands on a deep blue tile) as a 512x512 PNG
// into resources/icon.png, with no image tools needed. Run once when the design changes.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 512;
const px = Buffer.alloc(size * size * 4);
const c = size / 2;
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const dx = x + 0.5 - c, dy = y + 0.5 - c;
    const r = Math.hypot(dx, dy);
    const angle = (Math.atan2(dy, dx) + 2 * Math.PI) % (2 * Math.PI);
    // Rounded square tile.
    const q = Math.max(Math.abs(dx) - 200, 0) ** 2 + Math.max(Math.abs(dy) - 200, 0) ** 2;
    let rgba = [0, 0, 0, 0];
    if (q <= 56 * 56) rgba = [22, 58, 99, 255];
    if (r >= 110 && r <= 200) {
      const band = Math.floor(((angle + Math.PI / 4) % (2 * Math.PI)) / (Math.PI / 2)) % 2 === 0;
      rgba = band ? [226, 64, 52, 255] : [250, 250, 247, 255];
    }
    px.set(rgba, (y * size + x) * 4);
  }
}
const raw = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let k = n;
  for (let i = 0; i < 8; i++) k = k & 1 ? 0xedb88320 ^ (k >>> 1) : k >>> 1;
  return k >>> 0;
});
const crc32 = (buf) => {
  let crc = 0xffffffff;
  for (const b of buf) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../resources/icon.png', import.meta.url), png);
console.log(`resources/icon.png: ${png.length} bytes`);
