import * as v from 'valibot'
import { OrderSecretSchema, reservationKey, standingKey, type DropboxKey, type Meal, type Mode, type OrderSecret, type Reservation, type SealedOrder, type StandingOrder } from '../domain/canteen'
import { nowTime, today, type Day } from '../domain/calendar'
import type { HybridClock } from '../domain/hlc'
import { failed, type Checked } from '../domain/validation'
import type { SpaceDocs } from '../store/space-docs'
import type { Writer } from '../store/collection'
import { liveCanteenData, liveStaffCanteenData, staffCanteenCommands, cancelReservation, checkCancel, checkPause, checkReservation, checkStanding, pauseStandingOrder, putDropbox, putOrderDetail, readDropbox, readOrderSecrets, reserve, type OrdersToRead, setStandingOrder, stopStandingOrder } from '../store/canteen'
import { fromBase64Url, openSealed, seal, toBase64Url, type DeviceKeys } from './keys'
import { feature } from '../store/feature'

// Meal orders with nothing personal in the clear (issue 30, hole 11). The public space
// names an elder's order by a tag made from their meal-card code; the code, the mode and
// a pause go sealed twice: to staff's drop box (X25519, as rounds are sealed to a
// volunteer), and under a key made from the code itself, so the elder's own phone and
// whoever reserves for them (代办, who must know the code to do so) still see what they
// ordered. Staff devices open what was sealed to the drop box into the staff space.

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Slow on purpose: a tag is made from a 6-character code (about 10^9 of them), so a
 * resident holding the public space could try every code against every tag. Each try
 * costs this many PBKDF2 rounds; a phone makes it once per code it uses.
 */
export const CARD_ROUNDS = 50_000

export interface Card {
  /** The elder's tag for a meal: the same for their reservations and their standing order, so one overrides the other. */
  tag(meal: Meal): string
  /** The AES-GCM key whoever knows the code opens their copy of an order with. */
  own: Uint8Array<ArrayBuffer>
}

const cards = new Map<string, Promise<Card>>()

/** What a meal-card code gives in one community (kept in memory: PBKDF2 is slow on purpose). */
export function cardOf(code: string, community: string): Promise<Card> {
  const id = `${community}|${code}`
  let card = cards.get(id)
  if (!card) {
    card = (async () => {
      const material = await crypto.subtle.importKey('raw', encoder.encode(code), 'PBKDF2', false, ['deriveBits'])
      const secret = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: encoder.encode(`neighbours meal card|${community}`), iterations: CARD_ROUNDS }, material, 256))
      const mac = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      const part = async (label: string) => new Uint8Array(await crypto.subtle.sign('HMAC', mac, encoder.encode(label)))
      const tags = new Map<string, string>()
      for (const meal of ['breakfast', 'lunch', 'dinner'] as const) tags.set(meal, toBase64Url((await part(`tag|${meal}`)).subarray(0, 16)))
      return { tag: (meal: Meal) => tags.get(meal)!, own: await part('own') }
    })()
    cards.set(id, card)
  }
  return card
}

const aes = (raw: Uint8Array<ArrayBuffer>, usage: KeyUsage) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [usage])

/**
 * Seals an order's personal part for the record `id`: to the drop box (the record's id
 * inside, so a box copied onto another order does not count there), and under the card's
 * key (its id authenticated with it). Null before staff have published a drop box.
 */
export async function sealOrder(docs: SpaceDocs, id: string, secret: OrderSecret, card: Card): Promise<SealedOrder | null> {
  const dropbox = readDropbox(docs)
  if (!dropbox) return null
  const staff = await seal(dropbox.key, encoder.encode(JSON.stringify({ id, ...secret })))
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const box = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(id) }, await aes(card.own, 'encrypt'), encoder.encode(JSON.stringify(secret))))
  return { staff: { to: dropbox.key, ...staff }, own: { iv: toBase64Url(iv), box: toBase64Url(box) } }
}

/** Whoever knows the code: opens their copy of an order; null if it is another card's or was changed. */
export async function openOwn(card: Card, record: Pick<Reservation | StandingOrder, 'id' | 'sealed'>): Promise<OrderSecret | null> {
  try {
    const bytes = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(record.sealed.own.iv), additionalData: encoder.encode(record.id) }, await aes(card.own, 'decrypt'), fromBase64Url(record.sealed.own.box))
    const parsed = v.safeParse(OrderSecretSchema, JSON.parse(decoder.decode(bytes)))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

const SealedForStaff = v.object({ id: v.string(), ...OrderSecretSchema.entries })
const noble = () => import('@noble/curves/ed25519.js')

/** A staff device: opens what was sealed to one of the drop-box keys it holds; null if none opens it or it names another order. */
export async function openForStaff(keys: readonly DropboxKey[], record: Pick<Reservation | StandingOrder, 'id' | 'sealed'>): Promise<OrderSecret | null> {
  const key = keys.find((k) => k.id === record.sealed.staff.to)
  if (!key) return null
  const opened = await openSealed({ agreement: { privateKey: fromBase64Url(key.secret) } } as DeviceKeys, record.sealed.staff)
  if (!opened) return null
  try {
    const parsed = v.safeParse(SealedForStaff, JSON.parse(decoder.decode(opened)))
    if (!parsed.success || parsed.output.id !== record.id) return null
    const { id: _id, ...secret } = parsed.output
    return secret
  } catch {
    return null
  }
}

/**
 * A staff device: publishes the canteen's drop box if there is none yet. Its private half
 * goes into the staff space first, so every staff device holds it; if two staff devices
 * publish at once, one public half wins and both private halves are kept, so what was
 * sealed to either still opens.
 */
export async function ensureDropbox(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock): Promise<boolean> {
  if (readDropbox(pubDocs)) return false
  const { x25519 } = await noble()
  const secret = new Uint8Array(x25519.utils.randomSecretKey())
  const key = toBase64Url(x25519.getPublicKey(secret))
  putDropbox(pubDocs, staffDocs, clock, key, toBase64Url(secret))
  return true
}

/**
 * A staff device: opens every order whose current version it has not opened yet into the
 * staff space (its code, mode and pause), for the board, rounds and report. Idempotent:
 * any staff device may run it; an order it cannot open (another key, changed) is left.
 * `only`: the orders changed since the last run (a month of them is thousands).
 */
export async function settleOrders(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, only: OrdersToRead = 'all'): Promise<number> {
  const { keys, pending } = readOrderSecrets(pubDocs, staffDocs, only)
  let opened = 0
  for (const { kind, record } of pending) {
    const secret = await openForStaff(keys, record)
    if (secret && putOrderDetail(staffDocs, clock, kind, record, secret)) opened++
  }
  return opened
}

/** Refused before staff have published the drop box: nothing personal may go out in the clear. */
export const noDropbox = (): Checked<never> => failed('elderCode', 'problem.noDropbox')

// ---- Bound commands: what screens call ----------------------------------------------

const CODE = /^[A-Z0-9]{6}$/
const cleanCode = (code: string) => code.trim().toUpperCase()

export interface OrderRequest {
  elderCode: string
  day: Day
  meal: Meal
  mode: Mode
  count: number
}
export interface StandingOrderRequest {
  elderCode: string
  meal: Meal
  weekdays: number[]
  mode: Mode
  count: number
}

/**
 * What anyone may do in the canteen: reserve for themselves or on an elder's behalf
 * (代办), cancel, set, pause and stop a standing order. Each seals what is personal
 * first, so each answers a moment later (a promise); refused before staff have
 * published the drop box. `community` salts the card's key, so a tag says nothing in another community.
 */
export function orderCommands({ docs, clock, actor }: Writer, community: string, when: () => { today: Day; now: string } = () => ({ today: today(), now: nowTime() })) {
  const card = async (raw: string) => {
    const code = cleanCode(raw)
    return CODE.test(code) ? { code, card: await cardOf(code, community) } : null
  }
  return {
    /** The card a code gives here (tags and the key of its own copies); null for a code that cannot be one. */
    card: (code: string) => card(code).then((c) => c?.card ?? null),
    async reserve(request: OrderRequest, onBehalf: boolean): Promise<Checked<Reservation>> {
      const c = await card(request.elderCode)
      if (!c) return failed('elderCode', 'problem.badCode')
      const check = checkReservation(docs, request, when().today, when().now)
      if (!check.ok) return check
      const tag = c.card.tag(request.meal)
      const sealed = await sealOrder(docs, reservationKey(request.day, request.meal, tag), { code: c.code, mode: request.mode }, c.card)
      if (!sealed) return noDropbox()
      return reserve(docs, clock, { ...request, tag }, sealed, actor(), onBehalf, when().today, when().now)
    },
    async cancelReservation(code: string, day: Day, meal: Meal): Promise<Checked<Reservation>> {
      const c = await card(code)
      if (!c) return failed('elderCode', 'problem.badCode')
      const check = checkCancel(docs, day, meal, when().today, when().now)
      if (!check.ok) return check
      const tag = c.card.tag(meal)
      const sealed = await sealOrder(docs, reservationKey(day, meal, tag), { code: c.code, mode: 'eatIn' }, c.card)
      if (!sealed) return noDropbox()
      return cancelReservation(docs, clock, tag, day, meal, sealed, actor(), when().today, when().now)
    },
    async setStandingOrder(request: StandingOrderRequest): Promise<Checked<StandingOrder>> {
      const c = await card(request.elderCode)
      if (!c) return failed('elderCode', 'problem.badCode')
      const check = checkStanding(request)
      if (!check.ok) return check
      const tag = c.card.tag(request.meal)
      const sealed = await sealOrder(docs, standingKey(tag, request.meal), { code: c.code, mode: request.mode }, c.card)
      if (!sealed) return noDropbox()
      return setStandingOrder(docs, clock, { ...request, tag }, sealed, actor(), when().today, when().now)
    },
    /** The pause's dates go only into the sealed part: the public order keeps its seat (domain/canteen.ts ordersFor). */
    async pauseStandingOrder(code: string, meal: Meal, until: Day): Promise<Checked<StandingOrder>> {
      const c = await card(code)
      if (!c) return failed('elderCode', 'problem.badCode')
      const check = checkPause(docs, c.card.tag(meal), meal, until, when().today, when().now)
      if (!check.ok) return check
      const { order, from } = check.value
      const before = await openOwn(c.card, order)
      const sealed = await sealOrder(docs, order.id, { code: c.code, mode: before?.mode ?? 'eatIn', pausedFrom: from, pausedUntil: until }, c.card)
      if (!sealed) return noDropbox()
      return { ok: true, value: pauseStandingOrder(docs, clock, order, sealed, actor()) }
    },
    async stopStandingOrder(code: string, meal: Meal): Promise<Checked<StandingOrder>> {
      const c = await card(code)
      if (!c) return failed('elderCode', 'problem.badCode')
      return stopStandingOrder(docs, clock, c.card.tag(meal), meal, actor())
    },
  }
}
export type OrderCommands = ReturnType<typeof orderCommands>

/** The canteen, declared here since an elder's order is sealed (the rest of it is in store/canteen.ts). */
export const canteenFeature = feature({
  live: ({ pub, clock, shown }) => liveCanteenData(pub, clock, shown.canteen),
  staffLive: ({ staff, clock, shown }) => liveStaffCanteenData(staff, clock, shown.canteen),
  commands: ({ pub, community }) => orderCommands(pub, community),
  staffCommands: ({ pub, staff }) => staffCanteenCommands(pub, staff),
})
