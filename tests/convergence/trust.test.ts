import { describe, expect, it } from 'vitest'
import { TRUST_ROLES, verdictOf, type TrustRecord } from '../../src/domain/trust'
import { mayWrite } from '../../src/domain/authority'
import { formatStamp } from '../../src/domain/hlc'
import { putTrust, readTrust } from '../../src/store/trust'
import { compare, convergenceProperty, convergenceRun, pick, runConvergence, type Modifications, type Phone } from './harness'

// Grants, invitations, acceptances and revocations made on five phones and delivered
// in any order: every phone reaches the same verdict on every device's role. Phone 0
// founded the community. Signatures are checked before records reach the rules, so
// here each record carries a stand-in signature; what converges is the verdict, and
// with it whether each record (a notice, each person's sign-up) counts.

const COMMUNITY = 'c1'
const keyOf = (index: number) => `phone${index}`.padEnd(43, 'k')
const ROOT = keyOf(0)

// Each phone's own count of the records it signed, as trust/grants.ts keeps it.
function recordsOn(phone: Phone): TrustRecord[] {
  const records = readTrust(phone.docs).map((t) => t.record)
  // Reading takes every stamp into the clock, as the live collection does in the app.
  for (const record of records) phone.clock.receive(record.stamp)
  return records
}

function write(phone: Phone, record: TrustRecord, tag: string) {
  putTrust(phone.docs, { record, sig: `${tag}_${phone.index}_${record.seq}_${record.type}`.padEnd(86, 's') })
}

function trustChanges(): Modifications {
  const seqs = new Map<number, number>()
  const nextSeq = (phone: Phone) => {
    const next = (seqs.get(phone.index) ?? -1) + 1
    seqs.set(phone.index, next)
    return next
  }
  let invitations = 0
  const signed = (phone: Phone) => ({ community: COMMUNITY, by: keyOf(phone.index), seq: nextSeq(phone), stamp: phone.clock.tick() })
  return {
    grant: [40, (phone, random) => {
      recordsOn(phone)
      write(phone, { type: 'grant', ...signed(phone), key: keyOf(Math.floor(random() * 6)), role: pick(random, TRUST_ROLES) }, 'g')
    }],
    revoke: [15, (phone, random) => {
      recordsOn(phone)
      const target = Math.floor(random() * 5)
      write(phone, { type: 'revoke', ...signed(phone), key: keyOf(target), lastSeq: Math.floor(random() * ((seqs.get(target) ?? 0) + 2)) - 1 }, 'r')
    }],
    invite: [20, (phone, random) => {
      recordsOn(phone)
      const invitation = `invite${invitations++}`.padEnd(43, 'i')
      write(phone, { type: 'invitation', ...signed(phone), invitation, role: pick(random, TRUST_ROLES), uses: random() < 0.5 ? 'once' : 'many' }, 'i')
    }],
    rotate: [8, (phone, random) => {
      recordsOn(phone)
      const to = [0, 1, 2, 3, 4].filter(() => random() < 0.6).map((i) => ({ to: keyOf(i), from: keyOf(phone.index), iv: 'iv', box: 'box' }))
      write(phone, { type: 'rotation', ...signed(phone), boxes: to }, 'o')
    }],
    // Each device names the person it writes as; now and then one claims another's.
    device: [15, (phone, random) => {
      recordsOn(phone)
      const person = `p${random() < 0.8 ? phone.index : Math.floor(random() * 5)}`
      write(phone, { type: 'device', ...signed(phone), sealKey: keyOf(phone.index), label: 'x', person }, 'd')
    }],
    accept: [25, (phone, random) => {
      const known = recordsOn(phone).filter((r) => r.type === 'invitation')
      if (known.length === 0) return false
      const invitation = pick(random, known)
      if (invitation.type !== 'invitation') return false
      write(phone, { type: 'accept', community: COMMUNITY, by: invitation.invitation, seq: 0, stamp: phone.clock.tick(), key: keyOf(Math.floor(random() * 6)) }, `a${invitations++}`)
    }],
  }
}

// Records as every device would be asked about them: a notice and each person's
// sign-up, by each key, stamped before any revocation and long after.
const EARLY = formatStamp(1, 0, 'x')
const LATE = formatStamp(9e12, 0, 'x')
const samples = [0, 1, 2, 3, 4, 5].flatMap((author) =>
  [EARLY, LATE].flatMap((at) => [
    { author: keyOf(author), collection: 'notices', key: 'n1', record: { editedAt: at } },
    ...[0, 1, 2, 3, 4].map((person) => ({ author: keyOf(author), collection: 'signups', key: `s1|p${person}`, record: { personId: `p${person}`, updatedAt: at } })),
  ]),
)

const view = (phone: Phone) => {
  const verdict = verdictOf(COMMUNITY, ROOT, readTrust(phone.docs).map((t) => t.record))
  return {
    /** Whether each sample record counts, by this device's verdict. */
    records: samples.map((s) => (mayWrite(verdict.authority, s.collection, s.key, s.record, s.author) ? '1' : '0')).join(''),
    roles: [...verdict.roles].sort(),
    revoked: [...verdict.revoked].sort(),
    refused: verdict.refused.length,
    staffSpace: { rotation: verdict.staffSpace.rotation?.stamp ?? null, holders: [...verdict.staffSpace.holders].sort() },
    mustRotate: verdict.mustRotate,
  }
}

const trustRun = () => convergenceRun({ phones: 5, modifications: trustChanges(), view })

describe('trust verdicts converge', () => {
  const seeds = [61, 62, 63]
  const records: string[] = []
  for (const seed of seeds) {
    it(`seed ${seed}: grants and revocations in any order give every phone the same roles and the same verdict on every record`, () => {
      const { views, network, applied } = runConvergence({ ...trustRun(), seed, steps: 300 })
      for (const [name, times] of Object.entries(applied)) expect(times, name).toBeGreaterThan(0)
      // Roles were given or taken, something refused: the rules were exercised, not skipped.
      expect(views[0]!.roles.length + views[0]!.revoked.length).toBeGreaterThan(1)
      expect(views[0]!.refused).toBeGreaterThan(0)
      compare(views, network)
      records.push(views[0]!.records)
    })
  }
  // One run may end with nobody left who may write (seed 63: the founder made itself a
  // resident); across the runs, some sample records count and some do not.
  it('across the seeds, some sample records count and some do not', () => {
    expect(records).toHaveLength(seeds.length)
    expect(records.join('')).toMatch(/1/)
    expect(records.join('')).toMatch(/0/)
  })
  convergenceProperty('any schedule: the same verdict on every device everywhere', trustRun)
})
