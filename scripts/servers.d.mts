import type { PreviewServer } from 'vite'
export function freePort(): Promise<number>
export interface Running { port: number; url: string; stop(): Promise<void> }
export function startSignaling(port: number): Promise<Running>
export function startApp(port: number, host: string | boolean): Promise<Running & { server: PreviewServer }>
