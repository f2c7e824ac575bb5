import { describe, expect, it } from 'vitest'
import { relative } from 'node:path'
import { communityFolder, printable } from '../../src/hub/text'
import { escapeText } from '../../src/domain/ics'
import { readInvite } from '../../src/sync/invite'

// Issue 31: what a link or a peer says reaches the hub's folders, its terminal and
// calendar files; none of it may reach further than it should.

describe('what the hub writes', () => {
  it('keeps every community inside its own folder, whatever the id', () => {
    for (const id of ['../../../x', '/etc', 'a/../../b', 'ordinary-id_1']) {
      const folder = communityFolder('/data/hub', id)
      expect(relative('/data/hub', folder)).toMatch(/^[0-9a-f]{32}$/)
    }
    expect(communityFolder('/data/hub', 'same')).toBe(communityFolder('/data/hub', 'same'))
    expect(communityFolder('/data/hub', 'a')).not.toBe(communityFolder('/data/hub', 'b'))
  })

  it('refuses a link whose community id is a path', () => {
    const link = (id: string) => `http://x/#join=${Buffer.from(JSON.stringify({ v: 1, id, name: 'n', public: { room: 'roomroom', secret: 'secretsecretsecret' } })).toString('base64url')}`
    expect(readInvite(link('../../../x'))).toBeNull()
    expect(readInvite(link('Abc_123-x'))?.id).toBe('Abc_123-x')
  })

  it('shows no terminal escape from a label', () => {
    const label = '\u001b]0;pwned\u0007\u001b[2J张社工\r'
    expect(printable(label)).toBe('?]0;pwned??[2J张社工?')
    expect(printable(42)).toBe(42)
  })

  it('lets no carriage return start a new calendar line', () => {
    expect(escapeText('午饭\rDTSTART:19700101T000000')).toBe('午饭\\nDTSTART:19700101T000000')
    expect(escapeText('a\r\nb\nc')).toBe('a\\nb\\nc')
  })
})
