import { describe, expect, it } from 'vitest'
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, createServer } from 'node:tls'
import { localAuthority, serverCertificate } from '../../scripts/certs.mjs'

// Issue 31: a phone that trusts the office computer's authority trusts its key for
// whatever it signs. The authority is made with name constraints, so a certificate it
// signs for another site does not verify, and its key is kept for this user only.

// OpenSSL checks a certificate's dates at the machine's real time, which a test date
// (npm run test:dates shifts Date) moves away from: certificates are made at real time.
const RealDate = (Date as unknown as { shifted?: boolean }).shifted ? (Object.getPrototypeOf(Date) as DateConstructor) : Date
function atRealTime<T>(make: () => T): T {
  const shifted = globalThis.Date
  globalThis.Date = RealDate
  try {
    return make()
  } finally {
    globalThis.Date = shifted
  }
}

/** Whether a TLS client trusting only the authority accepts a server holding a certificate it signed for `names`. */
function accepted(authority: ReturnType<typeof localAuthority>, names: string[], servername?: string): Promise<true | string> {
  const dir = mkdtempSync(join(tmpdir(), 'neighbours-server-'))
  const { key, cert } = atRealTime(() => serverCertificate(authority, names, dir))
  return new Promise((resolve) => {
    const server = createServer({ key, cert }, (socket) => socket.end())
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      // (A name is checked by the name constraints of the chain; an address check is left to them too.)
      const socket = connect({ port, host: '127.0.0.1', ca: authority.certPem, ...(servername ? { servername } : { checkServerIdentity: () => undefined }) }, () => finish(true))
      socket.on('error', (error) => finish(error.message))
      function finish(result: true | string) {
        socket.destroy()
        server.close()
        rmSync(dir, { recursive: true, force: true })
        resolve(result)
      }
    })
  })
}

describe('the local certificate authority', () => {
  it('vouches for this computer and the local network only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neighbours-ca-'))
    chmodSync(dir, 0o755) // a data folder that already existed, readable by all
    try {
      const authority = atRealTime(() => localAuthority(dir))
      expect(await accepted(authority, ['localhost', '127.0.0.1'], 'localhost')).toBe(true)
      expect(await accepted(authority, ['192.168.1.20'])).toBe(true)
      expect(await accepted(authority, ['accounts.google.com'], 'accounts.google.com')).not.toBe(true)
      expect(await accepted(authority, ['8.8.8.8'])).not.toBe(true)
      // Kept for this user only, and read back the same.
      expect(statSync(dir).mode & 0o777).toBe(0o700)
      expect(statSync(join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600)
      expect(localAuthority(dir).fingerprint).toBe(authority.fingerprint)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
