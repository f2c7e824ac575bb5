import { describe, expect, it } from 'vitest'
import { isDay } from '../../src/domain/calendar'
import { canChooseRole, checkCommunityName, checkDisplayName, type Membership } from '../../src/domain/community'
import { checkNoticeDraft } from '../../src/domain/notices'
import { parseSignalingList, defaultSignaling } from '../../src/sync/device'
import { inviteLink, makeInvite, readInvite } from '../../src/sync/invite'

const community: Membership = {
  id: 'c1abcdef',
  name: '幸福里社区',
  role: 'staff',
  public: { room: 'publicroom1', secret: 'p'.repeat(43) },
  staff: { room: 'staffroom11', secret: 's'.repeat(43) },
  joinedAt: '2026-11-23T00:00:00.000Z',
}

describe('forms say what is wrong in words', () => {
  it('needs a community name, not too long', () => {
    expect(checkCommunityName('  ')).toEqual({ ok: false, problems: { name: 'problem.required' } })
    expect(checkCommunityName('x'.repeat(41))).toEqual({ ok: false, problems: { name: 'problem.tooLong' } })
    expect(checkCommunityName(' 幸福里 ')).toEqual({ ok: true, value: '幸福里' })
  })

  it('needs a display name', () => {
    expect(checkDisplayName('')).toMatchObject({ ok: false })
    expect(checkDisplayName('王阿姨')).toEqual({ ok: true, value: '王阿姨' })
  })

  it('needs a notice title; the text may be empty but not endless', () => {
    expect(checkNoticeDraft({ title: '', body: 'x' })).toEqual({ ok: false, problems: { title: 'problem.required' } })
    expect(checkNoticeDraft({ title: 't', body: 'x'.repeat(1001) })).toEqual({ ok: false, problems: { body: 'problem.tooLong' } })
    expect(checkNoticeDraft({ title: ' 停水 ', body: '' })).toEqual({ ok: true, value: { title: '停水', body: '' } })
  })

  it('accepts only ws:// and wss:// signaling addresses and names the bad ones', () => {
    expect(parseSignalingList('ws://10.0.0.2:4444\nwss://hub.example\nhttp://nope\nnot a url')).toEqual({
      urls: ['ws://10.0.0.2:4444', 'wss://hub.example'],
      invalid: ['http://nope', 'not', 'a', 'url'],
    })
    expect(defaultSignaling({ protocol: 'https:', hostname: 'hub.local' })).toEqual(['wss://hub.local:4444'])
    expect(defaultSignaling({ protocol: 'http:', hostname: '192.168.1.5' })).toEqual(['ws://192.168.1.5:4444'])
  })

  it('lets residents be volunteers but makes no one staff without a staff invite', () => {
    expect(canChooseRole('resident', 'volunteer')).toBe(true)
    expect(canChooseRole('volunteer', 'staff')).toBe(false)
    expect(canChooseRole('staff', 'resident')).toBe(false)
  })
})

describe('invites', () => {
  it('a resident invite carries only the public space; a staff invite carries both', () => {
    const resident = readInvite(inviteLink('https://app.example/?x=1#/me', makeInvite(community, 'resident', [])))
    expect(resident?.public).toEqual(community.public)
    expect(resident?.staff).toBeUndefined()
    const staff = readInvite(inviteLink('https://app.example/', makeInvite(community, 'staff', ['ws://10.0.0.2:4444'])))
    expect(staff?.staff).toEqual(community.staff)
    expect(staff?.signaling).toEqual(['ws://10.0.0.2:4444'])
    expect(staff?.name).toBe('幸福里社区')
  })

  it('keeps the secret in the fragment, which browsers never send to a server', () => {
    const link = inviteLink('https://app.example/path', makeInvite(community, 'staff', []))
    const url = new URL(link)
    expect(url.pathname + url.search).toBe('/path')
    expect(url.hash.startsWith('#join=')).toBe(true)
  })

  it('rejects damaged or foreign links instead of crashing', () => {
    expect(readInvite('https://app.example/')).toBeNull()
    expect(readInvite('https://app.example/#join=%%%')).toBeNull()
    expect(readInvite('#join=' + btoa('{"v":1,"id":"x"}'))).toBeNull()
  })
})

describe('calendar days', () => {
  it('accepts real days only', () => {
    for (const day of ['2026-11-23', '2028-02-29', '2026-12-31']) expect(isDay(day)).toBe(true)
    for (const day of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-11-31', '2026-11-3', ' 2026-11-23', '']) expect(isDay(day)).toBe(false)
  })
})
