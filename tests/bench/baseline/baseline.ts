import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'
import { framedWebRTC } from '../../../src/sync/chunking'

// The bare baselines the benchmarks compare the app with, in a page of their own:
// the same bytes read from IndexedDB into a Y.Doc, and two bare Y.Docs over
// y-webrtc. y-webrtc as shipped cannot carry a message over 256 KB at all, so the
// bare sync uses the same framed data channels as the app, and nothing else of it.

const UPDATES = 'updates'

function openDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name)
    // The layout y-indexeddb uses: updates under auto-increment keys, and a custom store.
    request.onupgradeneeded = () => {
      request.result.createObjectStore(UPDATES, { autoIncrement: true })
      request.result.createObjectStore('custom')
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

function all(db: IDBDatabase): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const request = db.transaction(UPDATES).objectStore(UPDATES).getAll()
    request.onsuccess = () => resolve(request.result as Uint8Array[])
    request.onerror = () => reject(request.error)
  })
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(url)).arrayBuffer())
}

const bench = {
  /** Adds an update to a space's y-indexeddb database, as if it had been synced there. */
  async store(dbName: string, url: string): Promise<number> {
    const bytes = await fetchBytes(url)
    const db = await openDb(dbName)
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(UPDATES, 'readwrite')
      tx.objectStore(UPDATES).add(bytes)
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
    db.close()
    return bytes.length
  },

  /** Bytes of every update stored for these databases. */
  async storedBytes(dbNames: string[]): Promise<number> {
    let total = 0
    for (const name of dbNames) {
      const db = await openDb(name)
      for (const update of await all(db)) total += update.byteLength
      db.close()
    }
    return total
  },

  /** Cold-start baseline: read the updates and apply them; ms since navigation. */
  async load(dbName: string): Promise<{ ms: number; entries: number }> {
    const db = await openDb(dbName)
    const updates = await all(db)
    const doc = new Y.Doc()
    doc.transact(() => updates.forEach((u) => Y.applyUpdate(doc, u)))
    ;(window as unknown as { doc: Y.Doc }).doc = doc
    const ms = performance.now()
    let entries = 0
    for (const name of [...doc.share.keys()]) entries += doc.getMap(name).size
    return { ms, entries }
  },

  /** A bare peer that holds the year (the bytes come from `url`). */
  async hold(url: string, room: string, password: string, signaling: string): Promise<number> {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, await fetchBytes(url))
    const provider = connect(doc, room, password, signaling)
    // Wait until it has announced itself: two peers announcing at the same moment
    // both start as initiator, and y-webrtc does not recover from that glare.
    while (!provider.room || !provider.signalingConns.every((c) => c.connected)) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 500))
    return doc.share.size
  },

  /** A fresh bare peer: ms from connecting until it has `entries` entries in `map`. */
  join(room: string, password: string, signaling: string, map: string, entries: number): Promise<number> {
    const doc = new Y.Doc()
    const start = performance.now()
    return new Promise((resolve) => {
      doc.on('update', () => {
        if (doc.getMap(map).size >= entries) resolve(performance.now() - start)
      })
      connect(doc, room, password, signaling)
    })
  },
}

function connect(doc: Y.Doc, room: string, password: string, signaling: string) {
  const traffic = { sent: () => {}, received: () => {} }
  return new WebrtcProvider(room, doc, {
    signaling: [signaling],
    password,
    peerOpts: { wrtc: framedWebRTC(traffic, new Set()), config: { iceServers: [] } },
  })
}

;(window as unknown as { bench: typeof bench }).bench = bench
