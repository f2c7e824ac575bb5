import * as Y from 'yjs'
import { HybridClock } from '../../src/domain/hlc'
import type { Authority, TrustRole } from '../../src/domain/trust'
import { recordBytes, type RecordScope } from '../../src/domain/trust'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { publicSpace } from '../../src/store/layout'
import { publishShift, readShiftData } from '../../src/store/shifts'
import type { ShiftDraft } from '../../src/domain/shifts'
import { readCollection } from '../../src/store/collection'
import { NoticeSchema } from '../../src/domain/notices'
import { makeKeys, signRaw, type DeviceKeys } from '../../src/trust/keys'
import { makeSignedRecords, type CheckMemory, type SignedRecords } from '../../src/trust/signatures'

// Phones of one community as the attack and signature tests need them: real Ed25519
// keys, real Yjs docs, each with its signature gate, meeting by exchanging updates.

export const TODAY = '2026-11-23'
export const MONTH = '2026-11'
export let wall = Date.parse('2026-11-23T08:00:00')

export interface Device {
  name: string
  keys: DeviceKeys
  docs: SpaceDocs
  clock: HybridClock
  person: { id: string; name: string }
  memory: Map<string, string>
  gate: SignedRecords
  /** The community and space its gate checks for. */
  scope: RecordScope
}

export const memoryOf = (map: Map<string, string>): CheckMemory => ({ read: (name) => map.get(name) ?? null, write: (name, value) => void map.set(name, value) })

export async function device(name: string, memory = new Map<string, string>(), keys?: DeviceKeys, firstDocs?: string[], healAfterMs?: number, scope: RecordScope = { community: 'c1', space: 'public' }): Promise<Device> {
  const own = keys ?? (await makeKeys())
  const docs = new SpaceDocs()
  const gate = makeSignedRecords({ docs, store: 'room', ...scope, keys: Promise.resolve(own), memory: memoryOf(memory), ...(firstDocs ? { firstDocs, restWaitsMs: 300 } : {}), ...(healAfterMs !== undefined ? { healAfterMs } : {}) })
  docs.gate = gate
  return { name, keys: own, docs, clock: new HybridClock(name, () => (wall += 1000)), person: { id: name, name }, memory, gate, scope }
}

/** The founder's staff phone and two residents' phones (and any more residents named), each knowing who is who. */
export async function community(options: { more?: string[]; healAfterMs?: number } = {}) {
  const make = (name: string) => device(name, undefined, undefined, undefined, options.healAfterMs)
  const staff = await make('staff')
  const alice = await make('alice')
  const bob = await make('bob')
  const more = await Promise.all((options.more ?? []).map(make))
  const residents = [alice, bob, ...more]
  const authority: Authority = {
    roles: new Map<string, TrustRole>([[staff.keys.publicKey, 'founder'], ...residents.map((d) => [d.keys.publicKey, 'resident'] as [string, TrustRole])]),
    people: new Map([staff, ...residents].map((d) => [d.keys.publicKey, d.person.id])),
    removed: new Map(),
  }
  for (const d of [staff, ...residents]) d.gate.setAuthority(authority)
  return { staff, alice, bob, more, all: [staff, alice, bob], authority }
}

/** Every doc of every device exchanged both ways, as one meeting of all phones. */
export function meet(devices: Device[]) {
  for (let round = 0; round < 2; round++) {
    for (const from of devices) {
      for (const to of devices) {
        if (from === to) continue
        for (const [name, doc] of from.docs.opened) Y.applyUpdate(to.docs.open(name), Y.encodeStateAsUpdate(doc, Y.encodeStateVector(to.docs.open(name))))
      }
    }
  }
}

/**
 * Signing and checking are asynchronous, and a record is checked when something reads
 * it (in the app, the live views read what arrives): read everything, then wait.
 */
export async function settle(devices: Device[]) {
  for (let round = 0; round < 2; round++) {
    for (const d of devices) for (const map of Object.values(publicSpace(d.docs))) map.forEach(() => {})
    await Promise.all(devices.map((d) => d.gate.settled()))
  }
}

/** A community whose staff published one shift, met and settled: every device holds it. */
export async function communityWithShift(draft: ShiftDraft) {
  const c = await community()
  const shift = publishShift(c.staff.docs, c.staff.clock, c.staff.person, draft, TODAY)
  if (!shift.ok) throw new Error('no shift')
  await settle(c.all)
  meet(c.all)
  await settle(c.all)
  return { ...c, shiftId: shift.value.id }
}

export async function meetAndSettle(devices: Device[]) {
  await settle(devices)
  meet(devices)
  await settle(devices)
}

export const notices = (d: Device) => [...readCollection(publicSpace(d.docs).notices, NoticeSchema).records.values()].map((n) => n.title)
export const signups = (d: Device) => readShiftData(d.docs).signups.map((s) => `${s.personId}:${s.active}`)

/** Writes straight into the doc, as a modified app would, signed with the device's own key (or not at all), for its own community and space unless told. */
export async function tamper(d: Device, collection: string, key: string, value: Record<string, unknown>, signed = true, scope = d.scope) {
  const sig = signed ? { by: d.keys.publicKey, s: await signRaw(d.keys.signing.privateKey, recordBytes(scope, collection, key, value)) } : undefined
  const docName = key.startsWith(MONTH) || /^\d{4}-\d{2}/.test(key) ? key.slice(0, 7) : STANDING
  const shard = d.docs.open(docName).getMap(collection)
  // Through a second Y.Doc with another client id, so the tampering device's own gate treats it as a peer's.
  const other = new Y.Doc()
  Y.applyUpdate(other, Y.encodeStateAsUpdate(d.docs.open(docName)))
  other.getMap(collection).set(key, sig ? { ...value, sig } : value)
  Y.applyUpdate(d.docs.open(docName), Y.encodeStateAsUpdate(other, Y.encodeStateVector(shard.doc!)))
}

