import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'

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
