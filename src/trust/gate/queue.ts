import type * as Y from 'yjs'
import { docNameOf, type SpaceMap } from '../../store/space-docs'
import { idText, type SignedValue } from './parts'

// The check queue. A phone that has just received a year checks thousands of
// signatures, part by part. The records every screen starts from (menus, notices,
// shifts, activities: a few hundred a month) wait in a queue of their own and go
// first, so today's menu arriving behind a year of sign-ups is not checked after them.
// On a phone that has just joined, the standing doc arrives seconds before this month
// does; checking its year of help requests then would hold up this month's menu (the
// checks and the incoming data share one thread). So the rest waits until every doc
// the first screen reads holds records (at once on a phone that stored them), or a
// few seconds after the first record was read.

const PART = 500

export interface Queued {
  map: SpaceMap
  key: string
  doc: Y.Doc
  docName: string
  id: Y.ID
  raw: SignedValue
}

export function makeCheckQueue(options: {
  /** The docs the first screen reads: the rest is checked once they hold records. */
  firstDocs?: string[]
  /** The longest the rest waits for them, from the first record that came in. */
  restWaitsMs?: number
  /** Checks one part and acts on the verdicts. */
  check: (part: Queued[]) => Promise<void>
  /** Every part queued so far is checked. */
  drained: () => void
}) {
  const queues = { first: new Map<string, Queued>(), rest: new Map<string, Queued>() }
  const waitingFor = new Set(options.firstDocs ?? [])
  let restWaits: ReturnType<typeof setTimeout> | undefined
  let checking: Promise<void> = Promise.resolve()
  let draining = false
  let closed = false

  const nextPart = (): Queued[] => {
    const part: Queued[] = []
    for (const queue of waitingFor.size > 0 ? [queues.first] : [queues.first, queues.rest]) {
      for (const [id, entry] of queue) {
        if (part.length === PART) return part
        part.push(entry)
        queue.delete(id)
      }
    }
    return part
  }
  const drain = () => {
    draining = true
    checking = checking.then(async () => {
      for (let part = nextPart(); part.length > 0 && !closed; part = nextPart()) await options.check(part)
      draining = false
      options.drained()
    })
  }
  const openRest = () => {
    waitingFor.clear()
    clearTimeout(restWaits)
    if (queues.rest.size > 0 && !draining) drain()
  }

  return {
    /** Queues one record's check (once per item), first if the first screen shows it. */
    add(entry: Queued, first: boolean) {
      const queue = first ? queues.first : queues.rest
      const id = idText(entry.id)
      if (queue.has(id)) return
      queue.set(id, entry)
      if (!draining) drain()
    },
    /** A record under this key was read: once every first doc has records, the rest goes. */
    arrived(key: string) {
      if (waitingFor.size === 0) return
      restWaits ??= setTimeout(openRest, options.restWaitsMs ?? 5_000)
      if (waitingFor.delete(docNameOf(key)) && waitingFor.size === 0) queueMicrotask(openRest)
    },
    /** Resolves once every queued check is done (the rest waits for nothing). */
    async settled() {
      if (waitingFor.size > 0) openRest()
      await checking
      await checking
    },
    close() {
      closed = true
      clearTimeout(restWaits)
    },
  }
}
