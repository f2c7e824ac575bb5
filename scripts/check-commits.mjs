// Prints every commit subject over 72 characters, or without an area prefix
// ("trust: …"), among the commits since a base (default: the last 30). It only prints:
// run it before you stop (`npm run check:commits [-- <base>]`); git history is not
// rewritten to please it. Outside a git checkout it says so and ends.
import { execFileSync } from 'node:child_process'

const base = process.argv[2]
const range = base ? [`${base}..HEAD`] : ['-30']
let log
try {
  log = execFileSync('git', ['log', '--format=%h%x09%s', ...range], { encoding: 'utf8' })
} catch {
  console.log('check-commits: not a git checkout, nothing to check')
  process.exit(0)
}
const bad = []
for (const line of log.split('\n').filter(Boolean)) {
  const [hash, subject] = line.split('\t')
  const problems = []
  if (subject.length > 72) problems.push(`${subject.length} characters`)
  if (!/^[a-z0-9-]+(\/[a-z0-9-]+)?: \S/.test(subject)) problems.push('no "area: " prefix')
  if (problems.length) bad.push(`${hash}  ${problems.join(', ')}\n         ${subject.slice(0, 100)}${subject.length > 100 ? '…' : ''}`)
}
const count = log.split('\n').filter(Boolean).length
console.log(bad.length ? `${bad.length} of ${count} subjects to fix:\n${bad.join('\n')}` : `all ${count} subjects are ≤ 72 characters with an area prefix`)
