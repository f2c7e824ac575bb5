import { describe, expect, it } from 'vitest'
import { formatStamp } from '../../src/domain/hlc'
import { personOfKey, verdictOf, type TrustRecord } from '../../src/domain/trust'
import { mayWrite } from '../../src/domain/authority'

// Hole: a resident could void another person's entries by claiming their person id from
// a second device key: a person id claimed by two keys belongs to neither. A device now
// writes as the person its own key names (personOfKey), and another key's claim of such
// an id counts for nothing. (A device made before keeps its random id and the old rule.)

const COMMUNITY = 'c1'
const key = (name: string) => name.padEnd(43, 'x')
const [ROOT, ALICE, BOB, BOB2, INVITE] = ['root', 'alice', 'bob', 'bobsecond', 'invite'].map(key) as [string, string, string, string, string]
let time = Date.parse('2026-11-23T08:00:00')
const stamp = () => formatStamp(time++, 0, 'd')
const seqs = new Map<string, number>()
const seq = (by: string) => {
  seqs.set(by, (seqs.get(by) ?? -1) + 1)
  return seqs.get(by)!
}
const device = (by: string, person: string): TrustRecord => ({ type: 'device', community: COMMUNITY, by, seq: seq(by), stamp: stamp(), sealKey: key('seal'), label: by.slice(0, 5), person })

describe('a person id claimed from a second key', () => {
  it('does not take away the entries of the person whose key the id is made from', () => {
    const records: TrustRecord[] = [
      { type: 'invitation', community: COMMUNITY, by: ROOT, seq: seq(ROOT), stamp: stamp(), invitation: INVITE, role: 'resident', uses: 'many' },
      ...[ALICE, BOB, BOB2].map((k): TrustRecord => ({ type: 'accept', community: COMMUNITY, by: INVITE, seq: 0, stamp: stamp(), key: k, inviter: ROOT })),
      device(ALICE, personOfKey(ALICE)),
      device(BOB, personOfKey(BOB)),
      // Bob's second device claims Alice's person id.
      device(BOB2, personOfKey(ALICE)),
    ]
    const { authority } = verdictOf(COMMUNITY, ROOT, records)
    expect(authority.people.get(ALICE)).toBe(personOfKey(ALICE))
    expect(authority.people.get(BOB2)).toBeUndefined()
    const signUp = (person: string) => ({ personId: person })
    const entry = `2026-11_shift|${personOfKey(ALICE)}`
    expect(mayWrite(authority, 'signups', entry, signUp(personOfKey(ALICE)), ALICE)).toBe(true)
    expect(mayWrite(authority, 'signups', entry, signUp(personOfKey(ALICE)), BOB2)).toBe(false)
  })
})
