import * as Y from 'yjs'
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { report, yearFiles } from './common'

/** A signature's bytes as JSON would carry them: base64url text. */
const asJson = (_: string, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64url') : value)

// The year's size: encoded Yjs bytes per entry against the JSON of the same entries,
// and what a year of edits (replaced records, cancellations) leaves behind compared
// with a fresh encoding of the same final state. Also the bundle, from `vite build`.

it('encoded size per entry, growth from edits, and the bundle', () => {
  let measured: Record<string, number> = {}
  const files = yearFiles((year, buildMs) => {
    let jsonBytes = 0
    let entries = 0
    let encoded = 0
    let freshEncoded = 0
    let applyMs = 0
    // Each doc of the space (standing, and each month) against a fresh doc holding the same entries.
    for (const doc of year.publicDoc.opened.values()) {
      const fresh = new Y.Doc()
      fresh.transact(() => {
        for (const name of [...doc.share.keys()]) {
          const copy = fresh.getMap<unknown>(name)
          doc.getMap<unknown>(name).forEach((value, key) => {
            jsonBytes += Buffer.byteLength(JSON.stringify({ [key]: value }, asJson))
            entries++
            copy.set(key, value)
          })
        }
      })
      const update = Y.encodeStateAsUpdate(doc)
      encoded += update.length
      freshEncoded += Y.encodeStateAsUpdate(fresh).length
      const applyStart = performance.now()
      Y.applyUpdate(new Y.Doc(), update)
      applyMs += performance.now() - applyStart
    }
    let staffJsonBytes = 0
    for (const doc of year.staffDoc.opened.values()) {
      for (const name of [...doc.share.keys()]) doc.getMap<unknown>(name).forEach((value, key) => (staffJsonBytes += Buffer.byteLength(JSON.stringify({ [key]: value }, asJson))))
    }
    measured = {
      entries,
      jsonBytes,
      staffJsonBytes,
      encodedBytes: encoded,
      freshEncodedBytes: freshEncoded,
      buildMs,
      nodeApplyMs: Math.round(applyMs),
    }
  })
  expect(measured.entries).toBeGreaterThan(0)
  const bundle = JSON.parse(readFileSync('dist/bundle-report.json', 'utf8'))
  report('size', {
    publicEntries: measured.entries,
    jsonBytes: measured.jsonBytes,
    encodedBytes: measured.encodedBytes,
    staffJsonBytes: measured.staffJsonBytes,
    staffEncodedBytes: Object.values(files.staff).reduce((sum, bytes) => sum + bytes.length, 0),
    docs: Object.keys(files.public).length,
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
  report('bundle', { ...bundle, budget: { firstScreenJsGzipKBAtMost: 70 } })
})
