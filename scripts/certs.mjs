// https for phones on the LAN: a certificate authority of this computer's own, made
// once and kept in a data folder outside the repo, and a certificate for this
// computer's names and addresses signed by it. A phone trusts the authority once
// (the trust page tells how); every later certificate is then trusted too.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir, hostname } from 'node:os'
import { isIP } from 'node:net'
import { join } from 'node:path'
import forge from 'node-forge'

const DAY = 24 * 60 * 60 * 1000

/** NEIGHBOURS_DATA, or the user's data folder: never inside the repo, so a fresh clone keeps the same authority. */
export function dataDir() {
  return process.env.NEIGHBOURS_DATA ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'neighbours')
}

function newKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  }
}

function newCertificate(publicKey, days) {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  // Positive, random, 16 bytes: no two certificates of this authority share a serial.
  cert.serialNumber = '01' + randomBytes(15).toString('hex')
  cert.validity.notBefore = new Date(Date.now() - DAY)
  cert.validity.notAfter = new Date(Date.now() + days * DAY)
  return cert
}

function sign(cert, issuerKeyPem) {
  cert.sign(forge.pki.privateKeyFromPem(issuerKeyPem), forge.md.sha256.create())
  return forge.pki.certificateToPem(cert)
}

// What the authority may vouch for: this computer's names and the private address
// ranges, nothing else. A phone that trusts it trusts this computer's key, so without
// these it could sign for any site (a bank's, say) on that phone.
const NAME_CONSTRAINTS = '2.5.29.30'
const PRIVATE_RANGES = [
  ['10.0.0.0', '255.0.0.0'],
  ['172.16.0.0', '255.240.0.0'],
  ['192.168.0.0', '255.255.0.0'],
  ['127.0.0.0', '255.0.0.0'],
  ['169.254.0.0', '255.255.0.0'],
]

/** The DER of a name-constraints extension permitting these DNS names (and their subdomains) and the private IPv4 ranges. */
function nameConstraints(dnsNames) {
  const { asn1 } = forge
  const subtree = (generalName) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [generalName])
  const dns = (name) => subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, name))
  const ipBytes = (text) => String.fromCharCode(...text.split('.').map(Number))
  const ip = ([address, mask]) => subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, ipBytes(address) + ipBytes(mask)))
  const permitted = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [...dnsNames.map(dns), ...PRIVATE_RANGES.map(ip)])
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [permitted])
}

/** Whether an IPv4 address is in one of the private ranges the authority may vouch for. */
export function isPrivateAddress(address) {
  const number = (text) => text.split('.').reduce((n, part) => n * 256 + Number(part), 0)
  return PRIVATE_RANGES.some(([base, mask]) => ((number(address) & number(mask)) >>> 0) === ((number(base) & number(mask)) >>> 0))
}

/** The names an authority made here may vouch for: this computer's own, localhost, and .local (mDNS) names. */
const localNames = () => [...new Set(['localhost', hostname().toLowerCase(), 'local'])].filter((name) => /^[a-z0-9.-]+$/.test(name))

const AUTHORITY_DAYS = 825

/** The authority: made on first use, then read back (made anew if it was made without name constraints). `spki` is the base64 SHA-256 of its public key. */
export function localAuthority(dir = dataDir()) {
  const keyFile = join(dir, 'ca-key.pem')
  const certFile = join(dir, 'ca.pem')
  // Only this user reads the folder and the key, whatever existed before.
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  const constrained = existsSync(certFile) && forge.pki.certificateFromPem(readFileSync(certFile, 'utf8')).extensions.some((e) => e.id === NAME_CONSTRAINTS)
  if (!existsSync(keyFile) || !existsSync(certFile) || !constrained) {
    const { keyPem, publicKey } = newKeys()
    const cert = newCertificate(publicKey, AUTHORITY_DAYS)
    const name = [
      { name: 'commonName', value: `Neighbours local authority (${hostname()})`.slice(0, 64) },
      { name: 'organizationName', value: 'Neighbours' },
    ]
    cert.setSubject(name)
    cert.setIssuer(name)
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { id: NAME_CONSTRAINTS, critical: true, value: forge.asn1.toDer(nameConstraints(localNames())).getBytes() },
      { name: 'subjectKeyIdentifier' },
    ])
    writeFileSync(keyFile, keyPem, { mode: 0o600 })
    writeFileSync(certFile, sign(cert, keyPem))
  }
  chmodSync(keyFile, 0o600)
  const certPem = readFileSync(certFile, 'utf8')
  const x509 = new X509Certificate(certPem)
  const spkiDer = createPublicKey(certPem).export({ type: 'spki', format: 'der' })
  return {
    keyPem: readFileSync(keyFile, 'utf8'),
    certPem,
    certDer: x509.raw,
    fingerprint: x509.fingerprint256,
    spki: createHash('sha256').update(spkiDer).digest('base64'),
    file: certFile,
  }
}

/**
 * A server certificate for these host names and IP addresses, signed by the authority,
 * followed by the authority's own (servers send the whole chain).
 * Kept and reused while it covers the same names and has a month left; 397 days at
 * most, and with serverAuth, because iPhones refuse longer-lived or unmarked ones.
 */
export function serverCertificate(authority, names, dir = dataDir()) {
  const wanted = [...new Set(names)].sort()
  const keyFile = join(dir, 'server-key.pem')
  const certFile = join(dir, 'server.pem')
  if (existsSync(keyFile) && existsSync(certFile)) {
    const cert = readFileSync(certFile, 'utf8')
    const x509 = new X509Certificate(cert)
    const covered = wanted.every((name) => (isIP(name) ? x509.checkIP(name) : x509.checkHost(name)))
    const fresh = new Date(x509.validTo).getTime() - Date.now() > 30 * DAY
    if (covered && fresh && x509.checkIssued(new X509Certificate(authority.certPem))) return { key: readFileSync(keyFile, 'utf8'), cert: cert + authority.certPem }
  }
  const { keyPem, publicKey } = newKeys()
  const cert = newCertificate(publicKey, 397)
  cert.setSubject([{ name: 'commonName', value: wanted.find((n) => !isIP(n)) ?? 'localhost' }])
  cert.setIssuer(forge.pki.certificateFromPem(authority.certPem).subject.attributes)
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: wanted.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
    { name: 'subjectKeyIdentifier' },
  ])
  const certPem = sign(cert, authority.keyPem)
  writeFileSync(keyFile, keyPem, { mode: 0o600 })
  chmodSync(keyFile, 0o600)
  writeFileSync(certFile, certPem)
  return { key: keyPem, cert: certPem + authority.certPem }
}
