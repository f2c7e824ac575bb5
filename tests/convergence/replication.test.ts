import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MemoryShelf, Replicator, type Timers } from '../../src/sync/replication'
import { pick, type Random } from './harness'

// The month/doc layer over the real replication protocol. Phones hold different sets
// of months (each its own window, plus months opened on screen at random), write
// and delete in any doc they hold, and meet over links that go up and down; messages
// on a link arrive in order, links interleave at random, and a link that goes down
// loses what was on it. Phones 0 and 1 are never connected: all that passes between
// them goes through the others or the hub, which keeps every doc and passes on what
// it receives. At the end every other link comes up and everything is delivered.
// Then every holder of a doc has the same doc, the hub holds every change ever made,
// each phone holds every doc of its window that exists anywhere, and no phone has a
// change no peer has confirmed holding.

const STANDING = 'standing'
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08']

interface Device {
  id: string
  shelf: MemoryShelf
  replicator: Replicator
  /** Months this device keeps: its window, and months it opened on screen. */
  keeps: Set<string>
  hub: boolean
}

/** Timers that run only when the test says time has passed. */
class ManualTimers implements Timers {
  private next = 0
  private readonly due = new Map<number, () => void>()
  set(run: () => void): number {
    this.due.set(++this.next, run)
    return this.next
  }
  clear(handle: unknown): void {
    this.due.delete(handle as number)
  }
  get pending(): number {
    return this.due.size
  }
  runAll(): void {
    const runs = [...this.due.values()]
    this.due.clear()
    runs.forEach((run) => run())
  }
}

interface Link {
  up: boolean
  /** Messages in flight each way: [a→b, b→a]. */
  queues: [Uint8Array[], Uint8Array[]]
}

class World {
  readonly devices: Device[]
  readonly timers = new ManualTimers()
  private readonly links = new Map<string, Link>()
  private counter = 0

  constructor(
    phones: number,
    private readonly random: Random,
  ) {
    this.devices = Array.from({ length: phones + 1 }, (_, index) => {
      const hub = index === phones
      const start = Math.floor(random() * (MONTHS.length - 2))
      const keeps = new Set(hub ? MONTHS : MONTHS.slice(start, start + 3))
      const shelf = new MemoryShelf((name) => hub || name === STANDING || keeps.has(name))
      shelf.open(STANDING)
      const id = hub ? 'hub' : `phone${index}`
      const replicator = new Replicator(shelf, { self: { device: id, label: id }, relay: hub, timers: this.timers })
      return { id, shelf, replicator, keeps, hub }
    })
    for (let a = 0; a < this.devices.length; a++) for (let b = a + 1; b < this.devices.length; b++) if (!(a === 0 && b === 1)) this.links.set(`${a}-${b}`, { up: false, queues: [[], []] })
  }

  private linkBetween(a: number, b: number) {
    return this.links.get(a < b ? `${a}-${b}` : `${b}-${a}`)
  }

  setLink(a: number, b: number, up: boolean) {
    const [low, high] = a < b ? [a, b] : [b, a]
    const link = this.linkBetween(low, high)
    if (!link || link.up === up) return
    const [A, B] = [this.devices[low]!, this.devices[high]!]
    link.up = up
    link.queues = [[], []]
    if (up) {
      A.replicator.connect(B.id, (message) => link.up && link.queues[0].push(message))
      B.replicator.connect(A.id, (message) => link.up && link.queues[1].push(message))
    } else {
      A.replicator.disconnect(B.id)
      B.replicator.disconnect(A.id)
    }
  }

  /** A write or a deletion in a doc this phone holds or keeps (writing into a month creates it here). */
  write(device: Device) {
    const name = pick(this.random, [STANDING, ...device.keeps])
    const map = device.shelf.open(name).getMap<number>('records')
    const keys = [...map.keys()]
    if (keys.length > 0 && this.random() < 0.25) map.delete(pick(this.random, keys))
    else map.set(`${name}-${device.id}-${this.counter++}`, Math.floor(this.random() * 100))
  }

  /** A screen shows another month: this device keeps it from now on and asks peers for it. */
  openMonth(device: Device) {
    const month = pick(this.random, MONTHS)
    device.keeps.add(month)
    device.shelf.open(month)
    device.replicator.fetch(month)
  }

  async deliverOne(): Promise<boolean> {
    const waiting = [...this.links.entries()].flatMap(([key, link]) => link.queues.flatMap((queue, way) => (queue.length > 0 ? [{ key, queue, way }] : [])))
    if (waiting.length === 0) return false
    const { key, queue, way } = pick(this.random, waiting)
    const [a, b] = key.split('-').map(Number) as [number, number]
    const [from, to] = way === 0 ? [a, b] : [b, a]
    this.devices[to]!.replicator.receive(this.devices[from]!.id, queue.shift()!)
    await this.idle()
    return true
  }

  async idle() {
    await Promise.all(this.devices.map((d) => d.replicator.idle()))
  }

  async step() {
    const roll = this.random()
    const phones = this.devices.filter((d) => !d.hub)
    if (roll < 0.35) this.write(pick(this.random, phones))
    else if (roll < 0.42) this.openMonth(pick(this.random, phones))
    else if (roll < 0.55) {
      const a = Math.floor(this.random() * this.devices.length)
      const b = Math.floor(this.random() * this.devices.length)
      const link = a === b ? undefined : this.linkBetween(a, b)
      if (link) this.setLink(a, b, !link.up)
    } else if (roll < 0.65) this.timers.runAll()
    else await this.deliverOne()
    await this.idle()
  }

  async settle() {
    for (let a = 0; a < this.devices.length; a++) for (let b = a + 1; b < this.devices.length; b++) this.setLink(a, b, true)
    await this.quiet()
  }

  /** Delivers everything and lets every wait run out, until nothing more is sent. */
  async quiet() {
    for (let rounds = 0; rounds < 10_000; rounds++) {
      await this.idle()
      if (await this.deliverOne()) continue
      if (this.timers.pending === 0) return
      this.timers.runAll()
    }
    throw new Error('the network never went quiet')
  }
}

const contentOf = (doc: Y.Doc) => doc.getMap('records').toJSON()

async function expectReplicated(world: World) {
  const hub = world.devices.find((d) => d.hub)!
  const names = new Set(world.devices.flatMap((d) => d.shelf.names()))
  for (const name of names) {
    const holders = world.devices.filter((d) => d.shelf.holds(name))
    const docs = holders.map((d) => d.shelf.docs.get(name)!)
    const rebuilt = new Y.Doc()
    Y.applyUpdate(rebuilt, Y.mergeUpdates(docs.map((doc) => Y.encodeStateAsUpdate(doc))))
    // A month only opened on a screen, never written, is nothing to hold.
    const written = Y.decodeStateVector(Y.encodeStateVector(rebuilt)).size > 0
    // The hub holds every change ever made; every holder holds the same doc.
    if (written) expect(hub.shelf.holds(name), `hub holds ${name}`).toBe(true)
    for (const [i, doc] of docs.entries()) {
      expect(Y.encodeStateVector(doc), `${holders[i]!.id} ${name} state vector`).toEqual(Y.encodeStateVector(rebuilt))
      expect(contentOf(doc), `${holders[i]!.id} ${name}`).toEqual(contentOf(rebuilt))
    }
    if (written) for (const device of world.devices) if (device.keeps.has(name) || name === STANDING) expect(device.shelf.holds(name), `${device.id} keeps ${name}`).toBe(true)
  }
  for (const device of world.devices) expect(await device.replicator.unconfirmed(), `${device.id}: changes no peer confirmed`).toEqual([])
}

async function runWorld(random: Random, steps: number, phones: number) {
  const world = new World(phones, random)
  for (let i = 0; i < steps; i++) await world.step()
  await world.settle()
  await expectReplicated(world)
  world.devices.forEach((d) => d.replicator.destroy())
}

function tapeRandom(tape: readonly number[]): Random {
  let next = 0
  return () => (next < tape.length ? tape[next++]! : 0)
}

const RUNS = Number(process.env.FC_RUNS ?? 200)

describe('replication of a space’s docs', () => {
  it('two phones that never meet exchange everything through the hub', async () => {
    let n = 0
    const world = new World(2, () => [0.1, 0.5][n++ % 2]!)
    const [a, b, hub] = world.devices as [Device, Device, Device]
    a.keeps.add('2026-03')
    b.keeps.add('2026-03')
    a.shelf.open('2026-03').getMap('records').set('2026-03-x', 1)
    world.setLink(0, 2, true)
    await world.quiet()
    world.setLink(0, 2, false)
    world.setLink(1, 2, true)
    await world.quiet()
    expect(hub.shelf.docs.get('2026-03')?.getMap('records').get('2026-03-x')).toBe(1)
    expect(b.shelf.docs.get('2026-03')?.getMap('records').get('2026-03-x')).toBe(1)
  })

  it(`any schedule: every holder has the same docs, the hub has every change, nothing left unconfirmed (${RUNS} random schedules)`, async () => {
    const started = Date.now()
    const number = fc.noBias(fc.integer({ min: 0, max: 0xffffffff })).map((n) => n / 2 ** 32)
    const tapes = fc.array(number, { minLength: 20, maxLength: 600 })
    const result = await fc.check(
      fc.asyncProperty(tapes, fc.integer({ min: 3, max: 5 }), async (tape, phones) => runWorld(tapeRandom(tape), Math.ceil(tape.length / 3), phones)),
      { numRuns: RUNS, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}) },
    )
    if (process.env.FC_RUNS) console.log(JSON.stringify({ property: 'replication', runs: result.numRuns, ms: Date.now() - started }))
    if (result.failed) {
      const replay = `FC_SEED=${result.seed} FC_PATH=${result.counterexamplePath} npx vitest run --project unit tests/convergence/replication.test.ts`
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)
      throw new Error(`${fc.defaultReportMessage(result)}\n${cause}\nReplay: ${replay}`)
    }
  }, 600_000)
})
