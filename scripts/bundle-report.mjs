// After `vite build`: how much gzipped JavaScript a first visit loads (the entry
// script and what it preloads) and how much there is in all.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const html = readFileSync('dist/index.html', 'utf8')
const firstScreen = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1])
const gz = (file) => gzipSync(readFileSync(`dist/${file}`), { level: 9 }).length
const all = readdirSync('dist/assets').filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`)
const kb = (n) => Math.round((n / 1024) * 10) / 10
const report = {
  firstScreenJsGzipKB: kb(firstScreen.reduce((s, f) => s + gz(f), 0)),
  totalJsGzipKB: kb(all.reduce((s, f) => s + gz(f), 0)),
  firstScreenFiles: firstScreen,
}
console.log(JSON.stringify(report))
// Kept beside the build for the bundle benchmark (tests/bench/size.bench.test.ts).
writeFileSync('dist/bundle-report.json', JSON.stringify(report))
