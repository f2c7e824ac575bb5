import { createResource, type Accessor } from 'solid-js'
import { today } from '../../domain/calendar'
import type { Share, ShareKind, ShareReply } from '../../domain/shares'
import type { OpenedShare } from '../../trust/shares'
import { useCommunity } from './community'

// What a volunteer's phone does with shares sealed to it (domain/shares.ts), the same
// for a round and for a visitor's households: find the ones for this device, open
// one, and open again what this phone sent back on it (so a restart shows it too).

/** The shares of one kind sealed to this device and not yet ended. */
export function createSharesForMe(kind: ShareKind): Accessor<Share[]> {
  const { shares } = useCommunity()
  const [myKey] = createResource(() => shares.deviceKey())
  return () => {
    const key = myKey()
    if (!key) return []
    return shares.data.shares
      .ids()
      .map((id) => shares.data.shares.byId[id])
      .filter((share): share is Share => share !== undefined && !share.ended && share.kind === kind && key in share.keys && share.until >= today())
  }
}

/** One share opened on this device, and this person's replies on it, each opened with `openReply`. */
export function createOpenedShare<K extends ShareKind, R>(share: () => Share, kind: K, openReply: (opened: Extract<OpenedShare, { kind: K }>, reply: ShareReply) => Promise<R | null>) {
  const { shares, actor } = useCommunity()
  const [opened] = createResource(share, async (s) => {
    const o = await shares.open(s)
    return o?.kind === kind ? (o as Extract<OpenedShare, { kind: K }>) : null
  })
  const myReplies = () =>
    shares.data.replies
      .ids()
      .filter((id) => id.startsWith(`${share().id}|`) && id.endsWith(`|${actor().id}`))
      .map((id) => shares.data.replies.byId[id])
      .filter((reply): reply is ShareReply => reply !== undefined)
  const [replies] = createResource(
    () => {
      const o = opened()
      return o ? { o, replies: myReplies() } : false
    },
    async ({ o, replies }) => (await Promise.all(replies.map((reply) => openReply(o, reply)))).filter((r): r is Awaited<R> & {} => r !== null),
  )
  return { opened, replies }
}
