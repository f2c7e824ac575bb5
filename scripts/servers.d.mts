export interface Tls { key: string; cert: string }
export function freePort(): Promise<number>
export interface Running { port: number; url: string; stop(): Promise<void> }
export function startSignaling(port: number, options?: { tls?: Tls; host?: string | boolean }): Promise<Running>
export function startApp(port: number, host: string | boolean, options?: { https?: Tls; outDir?: string }): Promise<Running>
export function listen(server: import("node:net").Server, port: number, host?: string | boolean): Promise<void>
export function startTrustPage(port: number, options: { appUrl: string; authority: { fingerprint: string; certDer: Uint8Array } }): Promise<{ port: number; stop(): Promise<void> }>
