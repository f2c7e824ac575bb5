import { readFileSync, existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The README and docs/ name files (`store/shifts.ts`, `scripts/serve.mjs` …) as the way
// in for a newcomer; a renamed or moved file must not leave them pointing at nothing.
const pages = ['README.md', ...readdirSync('docs').map((name) => `docs/${name}`)]
const named = /`([\w.-]+(?:\/[\w.-]+)+\.(?:ts|tsx|mjs|js|json|css))`/g

describe('the README and docs/', () => {
  it('name only files that exist', () => {
    const paths = pages.flatMap((page) => [...readFileSync(page, 'utf8').matchAll(named)].map((m) => ({ page, path: m[1]! })))
    expect(paths.length).toBeGreaterThan(40)
    const missing = paths.filter(({ path }) => !existsSync(path) && !existsSync(`src/${path}`))
    expect(missing).toEqual([])
  })

  it('the sign-up path the README gives is the code’s', () => {
    const card = readFileSync('src/ui/shifts/ShiftCard.tsx', 'utf8')
    const shifts = readFileSync('src/store/shifts.ts', 'utf8')
    expect(card).toContain('shifts.signUp(')
    expect(shifts).toMatch(/export const shiftCommands = /)
    expect(shifts).toContain('joinLine(')
    expect(readFileSync('src/store/space-docs.ts', 'utf8')).toMatch(/\n\s+put<T/)
  })
})
