// After `vite build`: how much gzipped JavaScript a start loads before Today shows (the
// entry script, what it preloads, and one language's words, the larger of the two,
// which the entry fetches before it draws Today from its glance), how much more the
// live app loads at once (src/live.tsx and its imports), and how much there is in all.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const html = readFileSync('dist/index.html', 'utf8')
// (The live app's chunks are hinted in the page too, marked data-live-app: fetched alongside, not waited for.)
const firstScreen = [...html.matchAll(/<(?:script|link)\b[^>]*>/g)]
  .filter(([tag]) => !tag.includes('data-live-app'))
  .flatMap(([tag]) => [...tag.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]))
const gz = (file) => gzipSync(readFileSync(`dist/${file}`), { level: 9 }).length
const kb = (n) => Math.round((n / 1024) * 10) / 10
const all = readdirSync('dist/assets').filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`)
const words = all.filter((f) => /\/words-[a-z]+-[^/]+\.js$/.test(f)).sort((a, b) => gz(b) - gz(a))
if (words.length === 0) throw new Error('no dictionary chunk (assets/words-*.js) in the build')
firstScreen.push(words[0])

// The live app: src/live.tsx's chunk and every chunk it imports statically, less those already loaded.
const manifest = JSON.parse(readFileSync('dist/.vite/manifest.json', 'utf8'))
const live = new Set()
const visit = (key) => {
  const chunk = manifest[key]
  if (!chunk || live.has(chunk.file)) return
  live.add(chunk.file)
  for (const imported of chunk.imports ?? []) visit(imported)
}
visit('src/live.tsx')
if (live.size === 0) throw new Error('no chunk for src/live.tsx in the build manifest')
const liveFiles = [...live].filter((f) => !firstScreen.includes(f))

const report = {
  firstScreenJsGzipKB: kb(firstScreen.reduce((s, f) => s + gz(f), 0)),
  liveAppJsGzipKB: kb(liveFiles.reduce((s, f) => s + gz(f), 0)),
  totalJsGzipKB: kb(all.reduce((s, f) => s + gz(f), 0)),
  firstScreenFiles: firstScreen,
  liveAppFiles: liveFiles,
}
console.log(JSON.stringify(report))
// Kept beside the build for the bundle benchmark (tests/bench/size.bench.test.ts).
writeFileSync('dist/bundle-report.json', JSON.stringify(report))
