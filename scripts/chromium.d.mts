export const NO_CHROMIUM: string
export function findChromium(): Promise<{ path: string; source: string }>
