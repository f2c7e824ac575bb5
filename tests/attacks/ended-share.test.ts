import { describe, expect, it } from 'vitest'
import { SpaceDocs } from '../../src/store/space-docs'
import { endShare, putShare, readShareData } from '../../src/store/shares'
import { publicSpace } from '../../src/store/layout'
import { community, meetAndSettle, MONTH, settle } from './peers'

// Hole: an ended share came back. Staff ended a sealed round past its day with a bare
// Y.Map.delete, which carries no signature, so staff's own gate (and every other) took
// it for a peer's delete and wrote the share back 1.5 s later. A record now ends by a
// signed version of itself with nothing sealed left in it.

describe('a share staff end', () => {
  it('stays ended on every phone, with nothing sealed left in it', async () => {
    const { staff, alice, all } = await community()
    const id = `${MONTH}_round1~share`
    const share = putShare(staff.docs, new SpaceDocs(), staff.clock, { id, kind: 'round', ref: `${MONTH}_round1`, personId: 'alice', keys: { [alice.keys.publicKey]: { from: 'x', iv: 'iv', box: 'sealed-key' } }, iv: 'iv', box: 'sealed-stops', until: '2026-11-23' }, { id, kind: 'round', ref: `${MONTH}_round1`, personId: 'alice', key: 'k', until: '2026-11-23' })
    await staff.gate.ownSigned()
    await meetAndSettle(all)
    for (const d of all) expect(readShareData(d.docs).shares.map((s) => s.id), d.name).toEqual([id])

    endShare(staff.docs, staff.clock, share)
    await staff.gate.ownSigned()
    await settle([staff])
    await new Promise((resolve) => setTimeout(resolve, 1_800)) // a gate's write-back would have come by now
    await meetAndSettle(all)
    for (const d of all) {
      expect(readShareData(d.docs).shares, d.name).toEqual([])
      expect(publicSpace(d.docs).shares.get(id)).toMatchObject({ ended: true, keys: {}, box: '' })
    }
    expect(staff.gate.refused()).toEqual([])
  })
})
