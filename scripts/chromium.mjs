// Finds the Chromium that the end-to-end tests and benchmarks drive, so `npm test`
// needs nothing installed by hand. In order:
//   1. CHROMIUM_PATH, when set (a browser of your own choosing);
//   2. a Chromium or Chrome on PATH (Debian's `chromium` package, for one);
//   3. the headless Chromium that ships inside the npm package @sparticuz/chromium
//      (a devDependency, Linux x64), unpacked once into node_modules/.cache.
// When none can be had, the error says what to run.
import { execFileSync } from 'node:child_process'
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { createBrotliDecompress } from 'node:zlib'

const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function onPath(name) {
  try {
    return execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null
  } catch {
    return null
  }
}

/** The packaged browser's folder, or null where the package is missing or cannot run. */
function packagedChromium() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return null
  try {
    // The package exports only its entry (build/index.js), so find its folder from there.
    let dir = dirname(createRequire(join(root, 'package.json')).resolve('@sparticuz/chromium'))
    const manifest = () => (existsSync(join(dir, 'package.json')) ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) : {})
    while (manifest().name !== '@sparticuz/chromium') {
      if (dir === dirname(dir)) return null
      dir = dirname(dir)
    }
    const { version } = manifest()
    return { archive: join(dir, 'bin', 'chromium.br'), version }
  } catch {
    return null
  }
}

export const NO_CHROMIUM = [
  'No Chromium for the end-to-end tests. Any one of these brings one:',
  '  npm install                      (installs @sparticuz/chromium, a headless Chromium for Linux x64)',
  '  apt-get install chromium         (Debian or Ubuntu, as root)',
  '  CHROMIUM_PATH=/path/to/chrome npm test',
].join('\n')

/** @returns {Promise<{ path: string, source: string }>} */
export async function findChromium() {
  const chosen = process.env.CHROMIUM_PATH
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH is ${chosen}, which does not exist.\n${NO_CHROMIUM}`)
    return { path: chosen, source: 'CHROMIUM_PATH' }
  }
  for (const name of ON_PATH) {
    const path = onPath(name)
    if (path) return { path, source: `${name} on PATH` }
  }
  const packaged = packagedChromium()
  if (packaged) {
    const dir = join(root, 'node_modules', '.cache', `chromium-${packaged.version}`)
    const path = join(dir, 'chromium')
    if (!existsSync(path)) {
      // The package holds one brotli-compressed executable (about 200 MB unpacked);
      // unpack it beside a temporary name so a run cut short leaves nothing half-written.
      mkdirSync(dir, { recursive: true })
      const partial = `${path}.partial-${process.pid}`
      await pipeline(createReadStream(packaged.archive), createBrotliDecompress(), createWriteStream(partial))
      chmodSync(partial, 0o755)
      renameSync(partial, path)
    }
    return { path, source: `@sparticuz/chromium ${packaged.version}` }
  }
  throw new Error(NO_CHROMIUM)
}

// `node scripts/chromium.mjs` prints which browser the tests will use.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { path, source } = await findChromium()
    console.log(`Chromium for the end-to-end tests: ${path} (${source})`)
  } catch (error) {
    console.error(error.message)
    process.exit(1)
  }
}
