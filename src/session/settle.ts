import { today } from '../domain/calendar'
import type { HybridClock } from '../domain/hlc'
import { publicSpace, staffSpace } from '../store/layout'
import type { MapChange, SpaceDocs, SpaceMap } from '../store/space-docs'
import { ensureDropbox, settleOrders } from '../trust/orders'
import { sealed } from './shares'

// A staff device opens door marks and visits sealed by volunteers into the staff space,
// and ends shares past their day: after the first screen, and when replies or keys
// arrive. One run at a time; a change during a run asks for one more.

interface SettlePlan {
  pub: SpaceDocs
  staff: SpaceDocs
  clock: HybridClock
  /** Whether the drop box may be published here: the founder's phone, or a staff phone that has heard from a peer (a phone just joined would replace the one in use). */
  mayPublish(): Promise<boolean>
  closed(): boolean
  /** Once the first screen is drawn and the staff space's months have loaded (not while they load: each would start a run over a month of orders). */
  whenReady: Promise<void>
}

/** Starts settling; returns what stops it. */
export function settleSealed({ pub, staff, clock, mayPublish, closed, whenReady }: SettlePlan): () => void {
  let settling = false
  let again = false
  // The orders the next run reads: all at first and once a drop-box key arrives (it may
  // open orders no key opened before), else only those changed since (a month of orders
  // is thousands, and every order that arrives starts a run).
  let orders: { reservations: Set<string>; standingOrders: Set<string> } | 'all' = 'all'
  const settle = async () => {
    if (settling) return void (again = true)
    settling = true
    try {
      do {
        again = false
        if (closed()) return
        await (await sealed()).settleShares(pub, staff, clock, today())
        // The canteen's drop box, and the meal orders sealed to it opened into the staff space (trust/orders.ts).
        if ((await mayPublish()) && (await ensureDropbox(pub, staff, clock))) {
          again = true
          orders = 'all'
        }
        const toRead = orders
        orders = { reservations: new Set(), standingOrders: new Set() }
        await settleOrders(pub, staff, clock, toRead)
      } while (again)
    } catch (error) {
      console.error('sealed replies: not settled', error)
      // What that run was to read is read again next time.
      orders = 'all'
    } finally {
      settling = false
    }
  }
  const onChange = () => void settle()
  const orderChanged = (kind: 'reservations' | 'standingOrders') => (change: MapChange) => {
    const pending = orders
    if (pending !== 'all') change.keysChanged.forEach((key) => pending[kind].add(key))
    void settle()
  }
  const keyArrived = () => {
    orders = 'all'
    void settle()
  }
  const watched: [SpaceMap, (change: MapChange) => void][] = [
    [publicSpace(pub).shareReplies, onChange],
    [staffSpace(staff).shareKeys, onChange],
    [publicSpace(pub).reservations, orderChanged('reservations')],
    [publicSpace(pub).standingOrders, orderChanged('standingOrders')],
    [staffSpace(staff).dropboxKeys, keyArrived],
  ]
  let watching = false
  void whenReady.then(() => {
    if (closed()) return
    watching = true
    watched.forEach(([map, listener]) => map.observe(listener))
    void settle()
  })
  return () => watching && watched.forEach(([map, listener]) => map.unobserve(listener))
}
