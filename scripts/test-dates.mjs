// `npm run test:dates`: the unit suite and the browser tests that depend on today, once
// per date named in tests/dates.ts (NEIGHBOURS_TEST_DATE set for each run). Given dates
// (`npm run test:dates -- 2026-12-31`), only those. Prints one line per date and exits
// non-zero if any run failed.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

// The e2e files whose journeys count days from today.
const DATED_E2E = ['shifts', 'activities', 'canteen', 'file', 'reach', 'new-day', 'glance'].map((name) => `tests/e2e/${name}.test.ts`)

// tests/dates.ts is the one list (TypeScript, so read here by its `day:` fields).
const listed = [...readFileSync('tests/dates.ts', 'utf8').matchAll(/day: '(\d{4}-\d{2}-\d{2})'/g)].map((m) => m[1])
const asked = process.argv.slice(2)
const unknown = asked.filter((day) => !listed.includes(day))
if (unknown.length > 0) console.warn(`not in tests/dates.ts (run anyway): ${unknown.join(', ')}`)
const dates = asked.length > 0 ? asked : listed

const run = (args, env = {}) => spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0
const build = run(['vite', 'build', '--mode', 'test', '--logLevel', 'warn']) && run(['vite', 'build', '--config', 'vite.hub.config.ts', '--logLevel', 'warn'])
if (!build) process.exit(1)

const outcomes = []
for (const day of dates) {
  const env = { NEIGHBOURS_TEST_DATE: day }
  console.log(`\n=== ${day} ===`)
  const started = Date.now()
  const unit = run(['vitest', 'run', '--project', 'unit'], env)
  const e2e = run(['vitest', 'run', '--project', 'e2e', ...DATED_E2E], env)
  outcomes.push({ day, unit, e2e, s: Math.round((Date.now() - started) / 1000) })
}
console.log('\nnpm run test:dates')
for (const { day, unit, e2e, s } of outcomes) console.log(`${day}  unit ${unit ? 'passed' : 'FAILED'}  e2e ${e2e ? 'passed' : 'FAILED'}  (${s} s)`)
const failed = outcomes.filter((o) => !o.unit || !o.e2e).length
console.log(`${outcomes.length - failed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
