import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COLLECTION_NAMES, COLLECTIONS, collectionsIn, isCollection } from '../../src/domain/collections'
import { isChecked, parentOf } from '../../src/domain/authority'
import { publicSpace, staffSpace } from '../../src/store/layout'
import { SpaceDocs } from '../../src/store/space-docs'

// Every collection is declared once, in domain/collections.ts; the layout, the rules,
// replication's list and the live data are made from it. A collection used anywhere
// else fails here (and SpaceDocs.getMap's type fails the type check).

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : []
  })

describe('the collection registry', () => {
  it('a collection the registry does not declare cannot be opened', () => {
    const docs = new SpaceDocs()
    expect(() => docs.getMap('notes' as never)).toThrow(/not a declared collection/)
    expect(() => docs.getMap('notices')).not.toThrow()
  })

  it('no source names a collection by a string the registry does not know', () => {
    const named = new Set<string>()
    for (const file of sources('src')) {
      const text = readFileSync(file, 'utf8')
      // A collection opened by name: docs.getMap('x'), liveOf(docs, 'x', …).
      for (const m of text.matchAll(/(?:\bdocs|Docs|space)\.getMap\('([A-Za-z]+)'\)|liveOf\(\w+, '([A-Za-z]+)'/g)) named.add(m[1] ?? m[2]!)
    }
    expect(named.size).toBeGreaterThan(30)
    expect([...named].filter((name) => !isCollection(name))).toEqual([])
  })

  it('the layout of each space is exactly the collections declared in it', () => {
    const docs = new SpaceDocs()
    expect(Object.keys(publicSpace(docs)).sort()).toEqual(collectionsIn('public').sort())
    expect(Object.keys(staffSpace(docs)).sort()).toEqual(collectionsIn('staff').sort())
    expect([...collectionsIn('public'), ...collectionsIn('staff')].sort()).toEqual([...COLLECTION_NAMES].sort())
  })

  it('every collection has a rule, and entries belong to declared records', () => {
    for (const name of COLLECTION_NAMES) {
      const declared = COLLECTIONS[name]
      expect(isChecked(name), name).toBe(declared.rule !== 'trust')
      if (declared.parent) {
        expect(isCollection(declared.parent), name).toBe(true)
        expect(parentOf(name, 'parent-id|person')).toEqual({ collection: declared.parent, key: 'parent-id' })
      } else expect(parentOf(name, 'parent-id|person')).toBeNull()
    }
    expect(isChecked('notes')).toBe(false)
  })
})
