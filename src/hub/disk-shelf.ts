import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import * as Y from 'yjs'
import { MemoryShelf, type DocName } from '../sync/replication'

// The hub process keeps each doc of a space in memory and on disk: one file per doc
// holding the doc's state followed by every update since, each as a 4-byte length and
// its bytes, written and flushed before the hub confirms holding it. At start each file
// is read (a record cut short by a crash is left out) and rewritten as one state.

const EXTENSION = '.ydoc'

export class DiskShelf extends MemoryShelf {
  private readonly files = new Map<DocName, number>()

  constructor(
    private readonly dir: string,
    isDocName: (name: DocName) => boolean,
  ) {
    // A hub keeps every doc there is.
    super(isDocName)
    mkdirSync(dir, { recursive: true })
    for (const file of readdirSync(dir)) {
      if (!file.endsWith(EXTENSION)) continue
      const name = file.slice(0, -EXTENSION.length)
      if (!isDocName(name)) continue
      const doc = super.open(name)
      for (const update of readRecords(readFileSync(join(dir, file)))) Y.applyUpdate(doc, update, this)
      this.compact(name, doc)
    }
    this.onChange((name, update) => this.append(name, update))
  }

  /** Bytes on disk per doc, for the log. */
  sizes(): Map<DocName, number> {
    return new Map(this.names().map((name) => [name, Y.encodeStateAsUpdate(this.docs.get(name)!).length]))
  }

  close(): void {
    for (const fd of this.files.values()) closeSync(fd)
    this.files.clear()
  }

  private path(name: DocName): string {
    return join(this.dir, `${name}${EXTENSION}`)
  }

  private append(name: DocName, update: Uint8Array): void {
    let fd = this.files.get(name)
    if (fd === undefined) {
      if (!existsSync(this.path(name))) this.compact(name, this.docs.get(name)!)
      fd = openSync(this.path(name), 'a')
      this.files.set(name, fd)
    }
    writeSync(fd, record(update))
    fsyncSync(fd)
  }

  /** Rewrites a doc's file as its whole state, safely: a new file, flushed, then renamed over the old. */
  private compact(name: DocName, doc: Y.Doc): void {
    const fresh = `${this.path(name)}.new`
    const fd = openSync(fresh, 'w')
    writeSync(fd, record(Y.encodeStateAsUpdate(doc)))
    fsyncSync(fd)
    closeSync(fd)
    renameSync(fresh, this.path(name))
  }
}

function record(update: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + update.length)
  new DataView(bytes.buffer).setUint32(0, update.length, true)
  bytes.set(update, 4)
  return bytes
}

function* readRecords(bytes: Uint8Array): Generator<Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = 0; at + 4 <= bytes.length; ) {
    const length = view.getUint32(at, true)
    if (at + 4 + length > bytes.length) return // cut short by a crash: what came before stands
    yield bytes.subarray(at + 4, at + 4 + length)
    at += 4 + length
  }
}
