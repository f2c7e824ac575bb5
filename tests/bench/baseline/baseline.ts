import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'
import { framedWebRTC } from '../../../src/sync/chunking'

// The bare baselines the benchmarks compare the app with, in a page of their own:
// the same bytes read from IndexedDB into Y.Docs (one per database, as the app
// keeps one per month), and two bare peers whose Y.Docs meet over y-webrtc, one
// room per doc. y-webrtc as shipped cannot carry a message over 256 KB at all, so the
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

  /** Cold-start baseline: read each database's updates and apply them to a doc of its own; ms since navigation. */
  async load(dbNames: string[]): Promise<{ ms: number; entries: number }> {
    const docs = await Promise.all(dbNames.map(async (name) => {
      const db = await openDb(name)
      const updates = await all(db)
      db.close()
      const doc = new Y.Doc()
      doc.transact(() => updates.forEach((u) => Y.applyUpdate(doc, u)))
      return doc
    }))
    ;(window as unknown as { docs: Y.Doc[] }).docs = docs
    const ms = performance.now()
    return { ms, entries: docs.reduce((sum, doc) => sum + entriesOf(doc), 0) }
  },

  /**
   * Sign-up baseline, after load(): a button whose tap writes one entry into the month's
   * doc, and an observer that shows it on the page, as bare as Yjs and the DOM allow.
   * Ms from each tap until the entry shows, and until the next frame.
   */
  async signUps(count: number): Promise<{ toDom: number[]; toFrame: number[] }> {
    const docs = (window as unknown as { docs: Y.Doc[] }).docs
    const entries = docs[docs.length - 1]!.getMap<{ person: string; at: number }>('bench-sign-ups')
    const button = document.body.appendChild(document.createElement('button'))
    const shown = document.body.appendChild(document.createElement('p'))
    let n = 0
    button.onclick = () => entries.set(`shift-${n % 10}|person`, { person: 'person', at: n })
    entries.observe(() => (shown.textContent = JSON.stringify(entries.get(`shift-${n % 10}|person`))))
    const toDom: number[] = []
    const toFrame: number[] = []
    for (n = 0; n < count; n++) {
      const start = performance.now()
      await new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          observer.disconnect()
          toDom.push(performance.now() - start)
          requestAnimationFrame(() => {
            toFrame.push(performance.now() - start)
            resolve()
          })
        })
        observer.observe(shown, { childList: true, characterData: true, subtree: true })
        button.click()
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return { toDom, toFrame }
  },

  /** A bare peer that holds these docs (name → url of its bytes), each in room "<room>.<name>". */
  async hold(urls: Record<string, string>, room: string, password: string, signaling: string): Promise<number> {
    const providers = await Promise.all(Object.entries(urls).map(async ([name, url]) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, await fetchBytes(url))
      return connect(doc, `${room}.${name}`, password, signaling)
    }))
    // Online before the joiner comes, as the app's holder is.
    while (providers.some((p) => !p.room || !p.signalingConns.every((c) => c.connected))) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 500))
    return providers.length
  },

  /** A fresh bare peer: ms from connecting until every doc (name → entries) has all its entries. */
  join(room: string, password: string, signaling: string, entries: Record<string, number>): Promise<number> {
    const start = performance.now()
    let missing = Object.keys(entries).length
    return new Promise((resolve) => {
      for (const [name, expected] of Object.entries(entries)) {
        const doc = new Y.Doc()
        const arrived = () => {
          if (entriesOf(doc) < expected) return
          doc.off('update', arrived)
          if (--missing === 0) resolve(performance.now() - start)
        }
        doc.on('update', arrived)
        connect(doc, `${room}.${name}`, password, signaling)
      }
    })
  },
}

function entriesOf(doc: Y.Doc): number {
  return [...doc.share.keys()].reduce((sum, name) => sum + doc.getMap(name).size, 0)
}

function connect(doc: Y.Doc, room: string, password: string, signaling: string) {
  const traffic = { sent: () => {}, received: () => {} }
  const provider = new WebrtcProvider(room, doc, {
    signaling: [signaling],
    password,
    peerOpts: { wrtc: framedWebRTC(traffic, new Set()), config: { iceServers: [] } },
  })
  // Without BroadcastChannel, as the app runs y-webrtc (see src/sync/transport.ts).
  ;(provider as WebrtcProvider & { broadcastChannel: boolean }).broadcastChannel = false
  return provider
}

;(window as unknown as { bench: typeof bench }).bench = bench
