import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { scanNames, topLevelNames } from '../../src/sync/limits'

// Replication refuses an update that makes a top-level type the layout does not
// declare; it finds their names by walking the update without decoding its records.
// The walk must name exactly what Yjs's own decoder names, for every kind of content.

const byYjs = (update: Uint8Array) => {
  const names = new Set<string>()
  for (const struct of Y.decodeUpdate(update).structs) {
    const parent = (struct as { parent?: unknown }).parent
    if (typeof parent === 'string') names.add(parent)
  }
  return names
}

describe('the top-level types an update names', () => {
  it('finds every name, whatever the content, as Yjs does', () => {
    const doc = new Y.Doc()
    doc.getMap('notices').set('2026-11_a', { title: '通知', n: 1.5, big: 2n ** 40n, list: [null, true, false, undefined, -7, 'x'], bytes: new Uint8Array([1, 2, 3]), nested: { deep: { deeper: [{}] } } })
    doc.getMap('notices').set('2026-11_a', { title: 'edited' })
    doc.getMap('notices').delete('2026-11_a')
    doc.getArray('arr').push([1, 'two', new Uint8Array(4)])
    doc.getArray('arr').insert(1, [new Y.Map(), new Y.Array()])
    doc.getText('text').insert(0, 'hello 世界 🙂', { bold: true })
    doc.getText('text').format(0, 3, { italic: true })
    doc.getText('text').insertEmbed(2, { image: 'x' })
    const fragment = doc.getXmlFragment('xml')
    const element = new Y.XmlElement('p')
    element.setAttribute('class', 'c')
    fragment.insert(0, [element, new Y.XmlText('t')])
    doc.getMap('docs').set('sub', new Y.Doc())
    // Content in the binary and JSON forms older Yjs wrote.
    doc.getMap('raw').set('bin', new Uint8Array([9, 9]))
    const update = Y.encodeStateAsUpdate(doc)
    // The walk itself, not Yjs's decoder it falls back to.
    expect(scanNames(update)).toEqual(byYjs(update))
    expect(topLevelNames(update)).toEqual(byYjs(update))
    expect([...topLevelNames(update)].sort()).toEqual(['arr', 'docs', 'notices', 'raw', 'text', 'xml'])
    // A later update that edits only inside a type names nothing new.
    const vector = Y.encodeStateVector(doc)
    doc.getText('text').insert(5, '!')
    const later = Y.encodeStateAsUpdate(doc, vector)
    expect(scanNames(later)).toEqual(byYjs(later))
  })

  it('walks a month of records far faster than decoding it', () => {
    const doc = new Y.Doc()
    doc.transact(() => {
      for (let i = 0; i < 6000; i++) doc.getMap('reservations').set(`2026-11-23|lunch|E${i}`, { id: `r${i}`, byId: 'p', stamp: '2026-11-01T10:00:00.000Z-0001-abc', sig: { by: 'k'.repeat(43), s: new Uint8Array(64) } })
    })
    const update = Y.encodeStateAsUpdate(doc)
    const time = (run: () => unknown) => {
      const start = performance.now()
      for (let i = 0; i < 5; i++) run()
      return performance.now() - start
    }
    time(() => scanNames(update))
    time(() => byYjs(update))
    // About ten times here; a loaded machine still leaves it well ahead.
    expect(time(() => scanNames(update)) * 2).toBeLessThan(time(() => byYjs(update)))
  })

  it('a damaged update is left to Yjs, which refuses it', () => {
    const doc = new Y.Doc()
    doc.getMap('notices').set('k', 'v')
    const update = Y.encodeStateAsUpdate(doc)
    expect(() => topLevelNames(update.subarray(0, update.length - 6))).toThrow()
  })
})
