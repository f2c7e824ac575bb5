export interface Authority { keyPem: string; certPem: string; certDer: Buffer; fingerprint: string; spki: string; file: string }
export function dataDir(): string
export function localAuthority(dir?: string): Authority
export function serverCertificate(authority: Authority, names: string[], dir?: string): { key: string; cert: string }
