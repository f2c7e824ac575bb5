import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs'
import type { SettingsStore } from '../sync/device'

/**
 * The few localStorage calls the transport makes (sync times, what peers confirmed,
 * who synced when), kept in a JSON file for the hub process, which has no browser.
 */
export class FileStorage {
  private items: Record<string, string>

  constructor(private readonly path: string) {
    try {
      this.items = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}
    } catch {
      this.items = {} // only sync times are lost
    }
  }

  get length(): number {
    return Object.keys(this.items).length
  }
  key(index: number): string | null {
    return Object.keys(this.items)[index] ?? null
  }
  getItem(key: string): string | null {
    return this.items[key] ?? null
  }
  setItem(key: string, value: string): void {
    this.items[key] = String(value)
    this.save()
  }
  removeItem(key: string): void {
    delete this.items[key]
    this.save()
  }
  clear(): void {
    this.items = {}
    this.save()
  }

  private save(): void {
    writeFileSync(`${this.path}.new`, JSON.stringify(this.items))
    renameSync(`${this.path}.new`, this.path)
  }
}

/**
 * The hub's own settings (what a phone keeps in IndexedDB: the trust records' sequence
 * number), as JSON in one file, flushed and renamed into place before a write resolves.
 */
export function fileSettings(path: string): SettingsStore {
  let values: Record<string, unknown> = {}
  try {
    if (existsSync(path)) values = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    // Starting the count again would sign two records with one number, which every device refuses as a lie.
    throw new Error(`${path} is damaged; move it away to start again`)
  }
  return {
    read: async (key) => values[key],
    write: async (key, value) => {
      values = { ...values, [key]: value }
      const fresh = `${path}.new`
      const fd = openSync(fresh, 'w', 0o600)
      writeSync(fd, JSON.stringify(values))
      fsyncSync(fd)
      closeSync(fd)
      renameSync(fresh, path)
    },
  }
}
