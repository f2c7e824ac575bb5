import * as v from 'valibot'
import { MembershipSchema, type Membership } from '../domain/community'
import { newId } from '../domain/ids'

// What this device keeps for itself (never synced): its id, its person's name and
// preferences, and the communities it belongs to with their secrets. Kept in
// IndexedDB, not localStorage, which the browser writes to disk late.

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

const DeviceSchema = v.object({
  deviceId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_]{8,64}$/)),
  displayName: v.optional(v.string(), ''),
  language: v.optional(v.picklist(LANGUAGES), 'zh-CN'),
  largeText: v.optional(v.boolean(), false),
  /** null means the default: the build's choice, else port 4444 of the app's host. */
  signaling: v.optional(v.nullable(v.array(v.string())), null),
  communities: v.optional(v.array(MembershipSchema), []),
  activeCommunityId: v.optional(v.nullable(v.string()), null),
  /** The help-request categories this volunteer helps with (shown first). */
  helpCategories: v.optional(v.array(v.string()), []),
  /** Its spaces' databases are named by community, space and room (persistence.ts `storeOf`), not by room alone. */
  storesNamed: v.optional(v.boolean(), false),
})
export type DeviceSettings = v.InferOutput<typeof DeviceSchema>

const KEY = 'neighbours.device'

export const DEFAULT_SIGNALING_PORT = 4444

/** Signaling chosen when the app was built (VITE_SIGNALING_URL); carried in invites. */
export const BUILT_SIGNALING: string[] = parseSignalingList(import.meta.env.VITE_SIGNALING_URL ?? '').urls

/** The build's choice, else port 4444 of the host the app came from (ws, or wss on an https page). */
export function defaultSignaling(location: { protocol: string; hostname: string }): string[] {
  if (BUILT_SIGNALING.length > 0) return BUILT_SIGNALING
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return [`${scheme}://${location.hostname}:${DEFAULT_SIGNALING_PORT}`]
}

// Not 'neighbours-…': those are the spaces' databases, which leaving a community deletes.
const DATABASE = 'neighbours'
const STORE = 'settings'

function openSettings(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

let database: Promise<IDBDatabase> | null = null

/** Where a process with no IndexedDB (the hub) keeps these values instead. */
export interface SettingsStore {
  read(key: string): Promise<unknown>
  /** Resolves once the value is on disk. */
  write(key: string, value: unknown): Promise<void>
}
let elsewhere: SettingsStore | null = null
/** From now on, settings (the trust records' sequence number, say) are read and written there. */
export function keepSettingsIn(store: SettingsStore): void {
  elsewhere = store
}

/** One value this device keeps for itself (its settings, its keys), read from IndexedDB. */
export async function readSetting(key: string): Promise<unknown> {
  if (elsewhere) return elsewhere.read(key)
  database ??= openSettings()
  const db = await database
  return new Promise<unknown>((resolve, reject) => {
    const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(key)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

/**
 * Resolves once the value is on disk: a 'strict' transaction completes only after the
 * browser has flushed it. Rejects on a storage error.
 */
export async function writeSetting(key: string, value: unknown): Promise<void> {
  if (elsewhere) return elsewhere.write(key, value)
  database ??= openSettings()
  const db = await database
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' })
    tx.objectStore(STORE).put(value, key)
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'))
  })
}

/**
 * Replaces one value by what `next` makes of it, in one transaction: two tabs of one
 * browser that count at once each get their own number (IndexedDB runs overlapping
 * readwrite transactions on a store one after the other). Resolves with the new value
 * once it is on disk.
 */
export async function updateSetting<T>(key: string, next: (before: unknown) => T): Promise<T> {
  if (elsewhere) {
    // (The hub is one process: its own promise chain orders its updates.)
    const value = next(await elsewhere.read(key))
    await elsewhere.write(key, value)
    return value
  }
  database ??= openSettings()
  const db = await database
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' })
    const store = tx.objectStore(STORE)
    let value: T
    const read = store.get(key)
    read.onsuccess = () => {
      value = next(read.result)
      store.put(value, key)
    }
    tx.oncomplete = () => resolve(value)
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'))
  })
}

/**
 * This device's settings, from IndexedDB. A device that kept them in localStorage
 * (earlier builds) has them moved over once; a device with none gets a new id.
 */
export async function loadDevice(newDeviceId: () => Promise<string> = async () => newId()): Promise<DeviceSettings> {
  const stored = await readSetting(KEY)
  const parsed = v.safeParse(DeviceSchema, stored ?? fromLocalStorage())
  if (parsed.success) {
    const settings = parsed.output
    // Earlier builds kept the help categories in localStorage of their own.
    const oldCategories = localStorage.getItem(OLD_HELP_CATEGORIES)
    if (oldCategories !== null) settings.helpCategories = readOldCategories(oldCategories)
    if (stored === undefined || oldCategories !== null) await saveDevice(settings)
    localStorage.removeItem(OLD_HELP_CATEGORIES)
    return settings
  }
  const fresh: DeviceSettings = {
    deviceId: await newDeviceId(),
    displayName: '',
    language: 'zh-CN',
    largeText: false,
    signaling: null,
    communities: [],
    activeCommunityId: null,
    helpCategories: [],
    storesNamed: true,
  }
  await saveDevice(fresh)
  return fresh
}

const OLD_HELP_CATEGORIES = 'neighbours.helpCategories'
function readOldCategories(text: string): string[] {
  try {
    const list: unknown = JSON.parse(text)
    return Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : []
  } catch {
    return []
  }
}

function fromLocalStorage(): unknown {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null')
  } catch {
    return null // unreadable: replaced, the id is new
  }
}

/** On disk before it resolves, so a phone that kills the browser a moment later still has the community it was told it joined. */
export async function saveDevice(settings: DeviceSettings): Promise<void> {
  await writeSetting(KEY, settings)
  localStorage.removeItem(KEY) // moved for good
}

/** Signaling addresses one per line, as typed in settings; bad lines are reported. */
export function parseSignalingList(text: string): { urls: string[]; invalid: string[] } {
  const urls: string[] = []
  const invalid: string[] = []
  for (const line of text.split(/[\n,\s]+/).map((l) => l.trim()).filter(Boolean)) {
    try {
      const url = new URL(line)
      if (url.protocol === 'ws:' || url.protocol === 'wss:') urls.push(line)
      else invalid.push(line)
    } catch {
      invalid.push(line)
    }
  }
  return { urls, invalid }
}

export function upsertCommunity(list: Membership[], community: Membership): Membership[] {
  return [...list.filter((c) => c.id !== community.id), community]
}
