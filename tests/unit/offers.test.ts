import { describe, expect, it } from 'vitest'
import { formatStamp, parseStamp, type Stamp } from '../../src/domain/hlc'
import { lineOf, offerKey, recordsByShift, takeKey, type Offer, type Take } from '../../src/domain/offers'
import { entryKey, type PlaceEntry } from '../../src/domain/places'

// Who holds which place once offers and takes are in: worked out from the records
// alone, whatever order they arrived in.

const SHIFT = '2026-11-28-abc'
const at = (minute: number, device = 'd') => formatStamp(Date.UTC(2026, 10, 26, 9) + minute * 60_000, 0, device)

const signup = (person: string, minute: number, leftAt?: number, shift = SHIFT, previous?: { stamp: number; until: number | null }): PlaceEntry => ({
  id: entryKey(shift, person),
  recordId: shift,
  personId: person,
  personName: person.toUpperCase(),
  stamp: at(minute),
  active: leftAt === undefined,
  updatedAt: at(leftAt ?? minute),
  byId: person,
  byName: person,
  sawPlace: true,
  ...(previous ? { previous: { stamp: at(previous.stamp), until: previous.until === null ? null : at(previous.until) } } : {}),
})
const offer = (giver: string, minute: number, { to = '', withdrawnAt, shift = SHIFT, swapFor = '' }: { to?: string; withdrawnAt?: number; shift?: string; swapFor?: string } = {}): Offer => ({
  id: offerKey(shift, `n${minute}`.replace('.', '_'), giver),
  shiftId: shift,
  swapFor,
  updatedAt: at(withdrawnAt ?? minute),
  giverId: giver,
  giverName: giver.toUpperCase(),
  toId: to,
  toName: to.toUpperCase(),
  stamp: at(minute),
  withdrawnAt: withdrawnAt === undefined ? null : at(withdrawnAt),
  byId: giver,
})
const take = (giver: string, taker: string, minute: number, offeredAt: number, releasedAt?: number): Take => ({
  id: takeKey(offerKey(SHIFT, `n${offeredAt}`, giver), taker),
  shiftId: SHIFT,
  offerId: offerKey(SHIFT, `n${offeredAt}`, giver),
  updatedAt: at(releasedAt ?? minute),
  giverId: giver,
  takerId: taker,
  takerName: taker.toUpperCase(),
  stamp: at(minute),
  releasedAt: releasedAt === undefined ? null : at(releasedAt),
  sawPlace: true,
  byId: taker,
  byName: taker,
})
/** One shift's line (SHIFT's unless told), from records of any shifts. */
const resolveLine = (signups: PlaceEntry[], offers: Offer[], takes: Take[], shift = SHIFT) => lineOf(shift, recordsByShift(signups, offers, takes), offers)
/** A stamp's minute, as the helpers above take it. */
const minuteOf = (stamp: Stamp) => new Date(parseStamp(stamp)!.wallMs).getUTCMinutes()
/** The line as "person@the minute of their place's position". */
const line = (...args: Parameters<typeof resolveLine>) => resolveLine(...args).entries.map((e) => `${e.personId}@${minuteOf(e.stamp)}`)

describe('giving a shift place away', () => {
  it('without offers the line is the sign-ups in order', () => {
    expect(line([signup('b', 2), signup('a', 1), signup('c', 3, 4)], [], [])).toEqual(['a@1', 'b@2'])
  })

  it('the taker stands where the giver stood, and the history says who gave to whom', () => {
    const resolved = resolveLine([signup('a', 1), signup('b', 2)], [offer('a', 5)], [take('a', 'c', 6, 5)])
    expect(resolved.entries.map((e) => e.personId)).toEqual(['c', 'b'])
    expect(resolved.entries[0]!.stamp).toBe(at(1))
    expect(resolved.transfers).toEqual([{ giverId: 'a', giverName: 'A', takerId: 'c', takerName: 'C', at: at(6), swapFor: '' }])
    expect(resolved.open.size).toBe(0)
  })

  it('two takers of one place while apart: the earlier take wins, the other is told', () => {
    const resolved = resolveLine([signup('a', 1)], [offer('a', 5)], [take('a', 'late', 8, 5), take('a', 'early', 7, 5)])
    expect(resolved.entries.map((e) => e.personId)).toEqual(['early'])
    expect(resolved.lost).toEqual([{ giverId: 'a', takerId: 'late', at: at(8), reason: 'takenFirst', swap: false }])
  })

  it('an offer to a named volunteer cannot be taken by anyone else', () => {
    const resolved = resolveLine([signup('a', 1)], [offer('a', 5, { to: 'b' })], [take('a', 'x', 6, 5), take('a', 'b', 7, 5)])
    expect(resolved.entries.map((e) => e.personId)).toEqual(['b'])
  })

  it('a withdrawal of the offer and a take crossing: whichever came first counts', () => {
    expect(line([signup('a', 1)], [offer('a', 5, { withdrawnAt: 6 })], [take('a', 'b', 7, 5)])).toEqual(['a@1'])
    expect(line([signup('a', 1)], [offer('a', 5, { withdrawnAt: 8 })], [take('a', 'b', 7, 5)])).toEqual(['b@1'])
  })

  it('a giver who withdrew from the shift before the take gave nothing; after it, gave the place', () => {
    const before = resolveLine([signup('a', 1, 6), signup('w', 2)], [offer('a', 5)], [take('a', 'b', 7, 5)])
    expect(before.entries.map((e) => e.personId)).toEqual(['w'])
    expect(before.lost[0]!.reason).toBe('gone')
    expect(line([signup('a', 1, 8), signup('w', 2)], [offer('a', 5)], [take('a', 'b', 7, 5)])).toEqual(['b@1', 'w@2'])
  })

  it('a take of an offer not held here, or made before its offer, does not count', () => {
    const resolved = resolveLine([signup('a', 1)], [offer('a', 9)], [take('a', 'b', 7, 5)])
    expect(resolved.entries.map((e) => e.personId)).toEqual(['a'])
    expect(resolved.lost[0]!.reason).toBe('changed')
    expect(resolved.open.get('a')?.stamp).toBe(at(9))
  })

  it('someone already in the line cannot take a second place', () => {
    const resolved = resolveLine([signup('a', 1), signup('b', 2)], [offer('a', 5)], [take('a', 'b', 6, 5)])
    expect(resolved.entries.map((e) => e.personId)).toEqual(['a', 'b'])
    expect(resolved.lost[0]!.reason).toBe('alreadyIn')
  })

  it('a place passes along a chain, and a taker who gives it up frees it for the next in line', () => {
    const chain = resolveLine([signup('a', 1), signup('w', 2)], [offer('a', 5), offer('b', 7)], [take('a', 'b', 6, 5), take('b', 'c', 8, 7)])
    expect(chain.entries.map((e) => `${e.personId}@${minuteOf(e.stamp)}`)).toEqual(['c@1', 'w@2'])
    expect(chain.transfers.map((t) => `${t.giverId}>${t.takerId}`)).toEqual(['a>b', 'b>c'])
    expect(line([signup('a', 1), signup('w', 2)], [offer('a', 5)], [take('a', 'b', 6, 5, 9)])).toEqual(['w@2'])
  })

  it('a giver who signs up again goes to the back; the taker keeps the place given', () => {
    // a gave their place at 6 and signed up again at 12: the sign-up keeps the one it was written over.
    expect(line([signup('a', 12, undefined, SHIFT, { stamp: 1, until: null }), signup('w', 2)], [offer('a', 5)], [take('a', 'b', 6, 5)])).toEqual(['b@1', 'w@2', 'a@12'])
    // a withdrew at 5.5 (before the take) and signed up again: the take found nothing to take.
    const gone = resolveLine([signup('a', 12, undefined, SHIFT, { stamp: 1, until: 5.5 }), signup('w', 2)], [offer('a', 5)], [take('a', 'b', 7, 5)])
    expect(gone.entries.map((e) => e.personId)).toEqual(['w', 'a'])
    expect(gone.lost[0]!.reason).toBe('gone')
  })

  it('offering again does not undo a place already given, and supersedes an open offer', () => {
    // a gave their place at 6, signed up again at 12 and offered the new place at 13.
    const resolved = resolveLine([signup('a', 12, undefined, SHIFT, { stamp: 1, until: null }), signup('w', 2)], [offer('a', 5), offer('a', 13)], [take('a', 'b', 6, 5)])
    expect(resolved.entries.map((e) => e.personId)).toEqual(['b', 'w', 'a'])
    expect(resolved.open.get('a')?.stamp).toBe(at(13))
    expect(resolveLine([signup('a', 1)], [offer('a', 5), offer('a', 6, { to: 'x' })], []).open.get('a')?.toId).toBe('x')
  })

  it('gives the same line whatever order the records come in', () => {
    const signups = [signup('a', 1), signup('b', 2), signup('c', 3)]
    const offers = [offer('a', 5), offer('b', 6, { to: 'd' })]
    const takes = [take('a', 'd', 7, 5), take('a', 'e', 8, 5), take('b', 'd', 9, 6), take('b', 'e', 10, 6)]
    const expected = line(signups, offers, takes)
    for (let i = 0; i < 20; i++) {
      const shuffle = <T,>(xs: T[]) => [...xs].sort(() => Math.random() - 0.5)
      expect(line(shuffle(signups), shuffle(offers), shuffle(takes))).toEqual(expected)
    }
    expect(expected).toEqual(['d@1', 'b@2', 'c@3'])
  })
})

describe('swapping two places', () => {
  const OTHER = '2026-11-29-xyz'
  // a is on SHIFT, b on OTHER; a proposes at 5 (their place for b's), b agrees at 6.
  const signups = [signup('a', 1), signup('w', 2), signup('b', 3, undefined, OTHER)]
  const proposal = (o: Parameters<typeof offer>[2] = {}) => offer('a', 5, { to: 'b', swapFor: OTHER, ...o })
  const answer = (o: Parameters<typeof offer>[2] = {}) => offer('b', 6, { to: 'a', swapFor: SHIFT, shift: OTHER, ...o })
  const both = (offers: Offer[], takes: Take[] = [], s = signups) => [line(s, offers, takes), resolveLine(s, offers, takes, OTHER).entries.map((e) => e.personId)]

  it('happens when the second offer is made: each stands where the other stood', () => {
    expect(both([proposal(), answer()])).toEqual([['b@1', 'w@2'], ['a']])
    const history = resolveLine(signups, [proposal(), answer()], []).transfers
    expect(history).toEqual([{ giverId: 'a', giverName: 'A', takerId: 'b', takerName: 'B', at: at(6), swapFor: OTHER }])
    // A proposal alone changes nothing, and nobody can simply take a place offered in a swap.
    expect(both([proposal()], [take('a', 'b', 7, 5)])).toEqual([['a@1', 'w@2'], ['b']])
  })

  it('a proposal taken back before the answer: neither place moves, and both are told', () => {
    expect(both([proposal({ withdrawnAt: 5.5 }), answer()])).toEqual([['a@1', 'w@2'], ['b']])
    const lost = resolveLine(signups, [proposal({ withdrawnAt: 5.5 }), answer()], []).lost
    expect(lost).toEqual([{ giverId: 'a', takerId: 'b', at: at(6), reason: 'withdrawn', swap: true }])
  })

  it('a withdrawal from one shift crossing the answer: whichever came first counts, for both places', () => {
    const aLeftFirst = [signup('a', 1, 5.5), signup('w', 2), signup('b', 3, undefined, OTHER)]
    expect(both([proposal(), answer()], [], aLeftFirst)).toEqual([['w@2'], ['b']])
    const aLeftAfter = [signup('a', 1, 7), signup('w', 2), signup('b', 3, undefined, OTHER)]
    expect(both([proposal(), answer()], [], aLeftAfter)).toEqual([['b@1', 'w@2'], ['a']])
  })

  it('a swap stays done when one of them signs up again or offers again later', () => {
    // a swapped SHIFT away at 6, then joined SHIFT's line again at 12 (keeping the sign-up before).
    const rejoined = [signup('a', 12, undefined, SHIFT, { stamp: 1, until: null }), signup('w', 2), signup('b', 3, undefined, OTHER)]
    expect(both([proposal(), answer()], [], rejoined)).toEqual([['b@1', 'w@2', 'a@12'], ['a']])
    expect(both([proposal(), answer(), offer('a', 13)], [], rejoined)).toEqual([['b@1', 'w@2', 'a@12'], ['a']])
  })

  it('who received a place in a swap gives it up by leaving: the next one waiting moves up', () => {
    // b left SHIFT at 9 (an entry saying so, written over nothing).
    const left = [...signups, signup('b', 9, 9)]
    expect(both([proposal(), answer()], [], left)).toEqual([['w@2'], ['a']])
  })
})
