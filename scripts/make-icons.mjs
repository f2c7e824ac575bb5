// Draws the app icons (a white house on the canteen's orange) as PNG files, with
// no image tools needed. Run once: node scripts/make-icons.mjs; output is committed.
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

function png(size, glyphScale) {
  const raw = Buffer.alloc(size * (size * 3 + 1))
  const bg = [0x9a, 0x34, 0x12]
  const fg = [0xff, 0xfb, 0xeb]
  const g = (v) => (v - 0.5) / glyphScale + 0.5 // glyph coordinates, centred
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0
    for (let x = 0; x < size; x++) {
      const u = g((x + 0.5) / size)
      const v = g((y + 0.5) / size)
      const roof = v >= 0.18 && v <= 0.48 && Math.abs(u - 0.5) <= (v - 0.18) * 1.25
      const walls = v > 0.46 && v <= 0.82 && u >= 0.27 && u <= 0.73
      const door = v > 0.6 && v <= 0.82 && u >= 0.44 && u <= 0.56
      const colour = (roof || walls) && !door ? fg : bg
      raw.set(colour, y * (size * 3 + 1) + 1 + x * 3)
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

mkdirSync('public/icons', { recursive: true })
for (const size of [192, 512]) {
  writeFileSync(`public/icons/icon-${size}.png`, png(size, 1))
  // Maskable icons may be cropped to a circle: keep the house inside the middle 80%.
  writeFileSync(`public/icons/maskable-${size}.png`, png(size, 0.7))
}
console.log('icons written to public/icons')
