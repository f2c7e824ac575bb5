import { describe, expect, it } from 'vitest'
import { firstCome } from '../../src/domain/firstCome'
import { formatStamp } from '../../src/domain/hlc'

const entry = (wall: number, device: string) => ({ stamp: formatStamp(wall, 0, device), who: device })

describe('first come, first served', () => {
  it('confirms the earliest entries up to the number of places and waitlists the rest in order', () => {
    const entries = [entry(30, 'c'), entry(10, 'a'), entry(20, 'b'), entry(20, 'a')]
    const { confirmed, waitlist } = firstCome(entries, 2)
    expect(confirmed.map((e) => e.who)).toEqual(['a', 'a'])
    expect(waitlist.map((e) => e.who)).toEqual(['b', 'c'])
  })

  it('is the same whatever order the entries arrived in', () => {
    const entries = [entry(5, 'x'), entry(5, 'y'), entry(1, 'z'), entry(9, 'w')]
    const reversed = [...entries].reverse()
    expect(firstCome(entries, 2)).toEqual(firstCome(reversed, 2))
  })

  it('treats zero or negative places as none', () => {
    expect(firstCome([entry(1, 'a')], 0).confirmed).toEqual([])
    expect(firstCome([entry(1, 'a')], -3).waitlist).toHaveLength(1)
  })
})
