import * as v from 'valibot'
import { MembershipSchema, type Membership } from '../domain/community'
import { newId } from '../domain/ids'

// What this device keeps for itself (never synced): its id, its person's name and
// preferences, and the communities it belongs to with their secrets.

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

const DeviceSchema = v.object({
  deviceId: v.pipe(v.string(), v.regex(/^[a-z0-9]{8,64}$/)),
  displayName: v.optional(v.string(), ''),
  language: v.optional(v.picklist(LANGUAGES), 'zh-CN'),
  largeText: v.optional(v.boolean(), false),
  /** null means the default: the build's choice, else port 4444 of the app's host. */
  signaling: v.optional(v.nullable(v.array(v.string())), null),
  communities: v.optional(v.array(MembershipSchema), []),
  activeCommunityId: v.optional(v.nullable(v.string()), null),
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

export function loadDevice(): DeviceSettings {
  try {
    const parsed = v.safeParse(DeviceSchema, JSON.parse(localStorage.getItem(KEY) ?? 'null'))
    if (parsed.success) return parsed.output
  } catch {
    // fall through: unreadable settings are replaced, the id is new
  }
  const fresh: DeviceSettings = {
    deviceId: newId(),
    displayName: '',
    language: 'zh-CN',
    largeText: false,
    signaling: null,
    communities: [],
    activeCommunityId: null,
  }
  saveDevice(fresh)
  return fresh
}

export function saveDevice(settings: DeviceSettings): void {
  localStorage.setItem(KEY, JSON.stringify(settings))
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
