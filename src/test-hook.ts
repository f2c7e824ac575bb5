import type { CommunitySession } from './session'

// Only in test builds (`vite build --mode test`, which `npm test` and the benchmark
// run): the open session on window, for the end-to-end tests to read WebRTC
// statistics and what each space holds, and to write as a modified app would. A
// production build (`npm start`, `npm run build`) has none of it.

export function exposeForTests(session: CommunitySession): void {
  ;(window as unknown as { neighbours: unknown }).neighbours = {
    session,
    publicDocBytes: () => session.publicSpace.docs.encodedBytes(),
    /** Many notices in one transaction, through the staff's own command. */
    postNotices(drafts: { title: string; body: string }[]) {
      const notices = session.commands.staff?.notices
      if (!notices) throw new Error('postNotices needs a staff device')
      session.publicSpace.docs.transact(() => drafts.forEach((draft) => notices.post(draft)))
    },
  }
}
