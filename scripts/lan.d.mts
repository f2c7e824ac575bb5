import type { NetworkInterfaceInfo } from 'node:os'
export function lanAddresses(interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>): string[]
export function startMessage(options: { scheme: 'http' | 'https'; appPort: number; signalingPort: number; addresses: string[]; trustPort?: number; fingerprint?: string }): string
export function trustPage(options: { appUrl: string; fingerprint: string }): string
