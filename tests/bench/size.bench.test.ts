import * as Y from 'yjs'
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { report, yearFiles } from './common'

// The year's size: encoded Yjs bytes per entry against the JSON of the same entries,
// and what a year of edits (replaced records, cancellations) leaves behind compared
// with a fresh encoding of the same final state. Also the bundle, from `vite build`.

it('encoded size per entry, growth from edits, and the bundle', () => {
  let measured: Record<string, number> = {}
  const files = yearFiles((year, buildMs) => {
    const fresh = new Y.Doc()
    let jsonBytes = 0
    let entries = 0
    fresh.transact(() => {
      for (const name of [...year.publicDoc.share.keys()]) {
        const map = year.publicDoc.getMap<unknown>(name)
        const copy = fresh.getMap<unknown>(name)
        map.forEach((value, key) => {
          jsonBytes += Buffer.byteLength(JSON.stringify({ [key]: value }))
          entries++
          copy.set(key, value)
        })
      }
    })
    let staffJsonBytes = 0
    for (const name of [...year.staffDoc.share.keys()]) {
      year.staffDoc.getMap<unknown>(name).forEach((value, key) => (staffJsonBytes += Buffer.byteLength(JSON.stringify({ [key]: value }))))
    }
    const encoded = Y.encodeStateAsUpdate(year.publicDoc).length
    const freshEncoded = Y.encodeStateAsUpdate(fresh).length
    const applyStart = performance.now()
    Y.applyUpdate(new Y.Doc(), Y.encodeStateAsUpdate(year.publicDoc))
    measured = {
      entries,
      jsonBytes,
      staffJsonBytes,
      encodedBytes: encoded,
      freshEncodedBytes: freshEncoded,
      buildMs,
      nodeApplyMs: Math.round(performance.now() - applyStart),
    }
  })
  expect(measured.entries).toBeGreaterThan(0)
  const bundle = JSON.parse(readFileSync('dist/bundle-report.json', 'utf8'))
  report('size', {
    publicEntries: measured.entries,
    jsonBytes: measured.jsonBytes,
    encodedBytes: measured.encodedBytes,
    staffJsonBytes: measured.staffJsonBytes,
    staffEncodedBytes: files.staffBytes.length,
    encodedPerEntry: Math.round(measured.encodedBytes! / measured.entries!),
    jsonPerEntry: Math.round(measured.jsonBytes! / measured.entries!),
    encodedToJson: Math.round((measured.encodedBytes! / measured.jsonBytes!) * 100) / 100,
    growthFromEdits: Math.round((measured.encodedBytes! / measured.freshEncodedBytes!) * 1000) / 1000,
    commands: files.commands,
    refused: files.refused,
    buildMs: measured.buildMs,
    nodeApplyMs: measured.nodeApplyMs,
    counts: files.counts,
    budget: { storedToJsonAtMost: 2 },
  })
  report('bundle', { ...bundle, budget: { firstScreenJsGzipKBUnder: 120 } })
})
