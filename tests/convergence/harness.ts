import fc from 'fast-check'
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { HybridClock } from '../../src/domain/hlc'
import { SpaceDocs, type DocName } from '../../src/store/space-docs'

// A reusable convergence harness, shaped like Yjs's tests/testHelper.js. Several
// phones, each with a space (a standing doc and one doc per month), make named
// changes picked at random (a feature's `modifications`). Their updates travel as
// messages over links that go down and up at random, delivered in random order. A
// message sent over a link that is down is lost; when the link comes back the two
// phones exchange what the other lacks in each doc (state vector + diff). At the end
// every link comes up, everything is delivered, and `compare` checks the views, the
// state vectors and the docs rebuilt from every update.

export type Random = () => number

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!

export interface Phone {
  index: number
  deviceId: string
  docs: SpaceDocs
  clock: HybridClock
}

interface Message {
  from: number
  to: number
  /** Which of the space's docs (rooms) it belongs to. */
  name: DocName
  update: Uint8Array
}

const REMOTE = Symbol('remote')

/** Puts everything one space holds into another (every doc), as a sync would; not sent on. */
export function copySpace(from: SpaceDocs, to: SpaceDocs): void {
  for (const [name, doc] of from.opened) Y.applyUpdate(to.open(name), Y.encodeStateAsUpdate(doc), REMOTE)
}

export class Network {
  readonly phones: Phone[]
  private inFlight: Message[] = []
  private down = new Set<string>()
  private time = 1_700_000_000_000
  delivered = 0
  dropped = 0

  constructor(
    count: number,
    private readonly random: Random,
  ) {
    this.phones = Array.from({ length: count }, (_, index) => {
      const docs = new SpaceDocs()
      const deviceId = `phone${index}`
      // Each phone's wall clock is off by up to ±5 minutes, as real phones are.
      const skew = Math.floor((random() - 0.5) * 600_000)
      const phone: Phone = { index, deviceId, docs, clock: new HybridClock(deviceId, () => this.time + skew) }
      docs.onOpen((name, ydoc) =>
        ydoc.on('update', (update: Uint8Array, origin: unknown) => {
          if (origin === REMOTE) return
          for (let to = 0; to < count; to++) if (to !== index) this.send({ from: index, to, name, update })
        }),
      )
      return phone
    })
  }

  private link(a: number, b: number) {
    return a < b ? `${a}-${b}` : `${b}-${a}`
  }

  private send(message: Message) {
    if (this.down.has(this.link(message.from, message.to))) this.dropped++
    else this.inFlight.push(message)
  }

  private apply(message: Message) {
    Y.applyUpdate(this.phones[message.to]!.docs.open(message.name), message.update, REMOTE)
    this.delivered++
  }

  /** What each side lacks in each doc either has, sent both ways (y-webrtc's sync steps 1 and 2). */
  private exchange(a: number, b: number) {
    const [spaceA, spaceB] = [this.phones[a]!.docs, this.phones[b]!.docs]
    for (const name of new Set([...spaceA.opened.keys(), ...spaceB.opened.keys()])) {
      const [docA, docB] = [spaceA.open(name), spaceB.open(name)]
      this.inFlight.push({ from: a, to: b, name, update: Y.encodeStateAsUpdate(docA, Y.encodeStateVector(docB)) })
      this.inFlight.push({ from: b, to: a, name, update: Y.encodeStateAsUpdate(docB, Y.encodeStateVector(docA)) })
    }
  }

  /** Time passes, a few messages arrive in random order, links fail and recover. */
  step() {
    this.time += Math.floor(this.random() * 5_000)
    const deliveries = Math.floor(this.random() * 4)
    for (let i = 0; i < deliveries && this.inFlight.length > 0; i++) {
      const at = Math.floor(this.random() * this.inFlight.length)
      const [message] = this.inFlight.splice(at, 1)
      this.apply(message!)
    }
    if (this.random() < 0.1) {
      const a = Math.floor(this.random() * this.phones.length)
      const b = Math.floor(this.random() * this.phones.length)
      if (a === b) return
      const key = this.link(a, b)
      if (this.down.has(key)) {
        this.down.delete(key)
        this.exchange(a, b)
      } else {
        this.down.add(key)
      }
    }
  }

  /** Every link up, every message delivered (in random order), every pair synced. */
  settle() {
    this.down.clear()
    for (let a = 0; a < this.phones.length; a++) for (let b = a + 1; b < this.phones.length; b++) this.exchange(a, b)
    while (this.inFlight.length > 0) {
      const at = Math.floor(this.random() * this.inFlight.length)
      const [message] = this.inFlight.splice(at, 1)
      this.apply(message!)
    }
  }
}

/**
 * One named change a phone can make, the way Yjs's test helper lists its random
 * modifications. It returns false where it does not apply (nothing to withdraw), so a
 * run can say how often each change really happened.
 */
export type Modification = (phone: Phone, random: Random, network: Network) => boolean | void

/** A feature's changes by name, each with how often it is picked (its weight). */
export type Modifications = Record<string, [weight: number, change: Modification]>

/** Picks a change by weight. */
function pickModification(random: Random, modifications: Modifications): [string, Modification] {
  const entries = Object.entries(modifications)
  let roll = random() * entries.reduce((sum, [, [weight]]) => sum + weight, 0)
  for (const [name, [weight, change]] of entries) {
    if ((roll -= weight) < 0) return [name, change]
  }
  const [name, [, change]] = entries.at(-1)!
  return [name, change]
}

export interface ConvergenceRun<V> {
  /** Where the randomness comes from: a seed, or a source of its own (a property's tape). */
  seed?: number
  random?: Random
  phones: number
  steps: number
  /** Puts each phone in its starting state (e.g. a shared record from before), not sent as messages. */
  setup?(phone: Phone): void
  /** The changes phones make; each step applies one, picked by weight, on a random phone. */
  modifications: Modifications
  /** What a screen would show, computed from one phone's space. Must be plain data. */
  view(phone: Phone): V
  /** Rules that must hold on every phone's view, e.g. "no shift over capacity"; `settled` once every message has arrived. */
  invariant?(view: V, phone: Phone, settled: boolean): void
  /** Check the invariant on the acting phone after every step too, not only at the end. */
  everyStep?: boolean
}

/** What a feature's convergence check is, apart from where its randomness comes from. */
export type ConvergenceSetup<V> = Omit<ConvergenceRun<V>, 'seed' | 'random' | 'steps' | 'everyStep'>
/** Names a feature's setup once, for its seeded runs and its property (and infers its view's type). */
export const convergenceRun = <V>(run: ConvergenceSetup<V>): ConvergenceSetup<V> => run

/** Runs the changes, settles the network and returns each phone's view, and how often each change applied. */
export function runConvergence<V>(run: ConvergenceRun<V>): { views: V[]; network: Network; applied: Record<string, number> } {
  const random = run.random ?? seededRandom(run.seed ?? 1)
  const network = new Network(run.phones, random)
  const applied = Object.fromEntries(Object.keys(run.modifications).map((name) => [name, 0]))
  if (run.setup) for (const phone of network.phones) phone.docs.transact(() => run.setup!(phone), REMOTE)
  for (let i = 0; i < run.steps; i++) {
    const phone = pick(random, network.phones)
    const [name, change] = pickModification(random, run.modifications)
    if (change(phone, random, network) !== false) applied[name]!++
    network.step()
    if (run.everyStep) run.invariant?.(run.view(phone), phone, false)
  }
  network.settle()
  const views = network.phones.map((phone) => {
    const view = run.view(phone)
    run.invariant?.(view, phone, true)
    return view
  })
  return { views, network, applied }
}

/** Plays back fast-check's numbers in order, then zeros: a shorter tape is a shorter, simpler schedule. */
function tapeRandom(tape: readonly number[]): Random {
  let next = 0
  return () => (next < tape.length ? tape[next++]! : 0)
}

/**
 * The end of every convergence check, as Yjs's `compare`: every phone shows the same
 * view, holds the same docs with the same state vectors, and each doc equals one
 * rebuilt from all their updates.
 */
export function compare<V>(views: V[], network: Network): void {
  for (const view of views) expect(view).toEqual(views[0])
  expectSameDocs(network)
}

function expectSameDocs(network: Network): void {
  const names = [...network.phones[0]!.docs.opened.keys()].sort()
  for (const name of names) {
    const docs = network.phones.map((phone) => phone.docs.get(name))
    expect(docs.every((doc) => doc !== undefined)).toBe(true)
    // A doc knows its maps once they are asked for by name; ask every one for the same names.
    const maps = [...new Set(docs.flatMap((doc) => [...doc!.share.keys()]))].sort()
    const content = (doc: Y.Doc) => Object.fromEntries(maps.map((key) => [key, doc.getMap(key).toJSON()]))
    const rebuilt = new Y.Doc()
    Y.applyUpdate(rebuilt, Y.mergeUpdates(docs.map((doc) => Y.encodeStateAsUpdate(doc!))))
    for (const doc of docs) {
      expect(Y.encodeStateVector(doc!)).toEqual(Y.encodeStateVector(docs[0]!))
      expect(content(doc!)).toEqual(content(rebuilt))
    }
  }
  for (const phone of network.phones) expect([...phone.docs.opened.keys()].sort()).toEqual(names)
}

const RUNS = Number(process.env.FC_RUNS ?? 200)

/**
 * A property over whole schedules: fast-check draws the numbers that choose each
 * phone, command, delivery order, dropped link and clock skew, checks that every phone
 * ends with the same views and docs and that the invariants held, and on a failure
 * shrinks to the shortest schedule that still fails and prints how to replay it.
 * FC_RUNS sets the number of runs (200 here; `npm run soak` runs 10,000).
 */
export function convergenceProperty<V>(name: string, setup: ConvergenceSetup<V> | (() => ConvergenceSetup<V>)): void {
  it(`${name} (${RUNS} random schedules)`, () => {
    const started = Date.now()
    // Uniform numbers (fast-check leans toward edge values by default, which would pick
    // the first phone and the first command nearly every time); shrinking still works.
    const number = fc.noBias(fc.integer({ min: 0, max: 0xffffffff })).map((n) => n / 2 ** 32)
    const tapes = fc.array(number, { minLength: 50, maxLength: 2000 })
    const result = fc.check(
      fc.property(tapes, (tape) => {
        // A setup with state of its own (what was ever withdrawn, say) is made fresh for each schedule.
        const run = typeof setup === 'function' ? setup() : setup
        const { views, network } = runConvergence({ ...run, random: tapeRandom(tape), steps: Math.ceil(tape.length / 8), everyStep: true })
        compare(views, network)
      }),
      { numRuns: RUNS, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}) },
    )
    if (process.env.FC_RUNS) console.log(JSON.stringify({ property: name, runs: result.numRuns, ms: Date.now() - started }))
    if (result.failed) {
      const replay = `FC_SEED=${result.seed} FC_PATH=${result.counterexamplePath} npx vitest run --project unit ${expect.getState().testPath} -t "${name}"`
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)
      throw new Error(`${fc.defaultReportMessage(result)}\n${cause}\nReplay: ${replay}`)
    }
  }, 600_000)
}
