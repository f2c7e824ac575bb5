import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import * as v from 'valibot'
import { today, plusDays } from '../domain/calendar'
import { FORMER_DAYS, FORMER_KEPT, SpaceKeySchema, type SpaceKey, type SpaceKind } from '../domain/community'
import { STANDING, type DocName } from '../store/space-docs'
import { DiskShelf } from './disk-shelf'
import { sendOnly } from '../sync/replication'

// The spaces the hub process serves for one community, and what it remembers of them
// across restarts (hub.json): each space's current room and secret and the folder its
// docs are in, whether its invitation was accepted, and whether it was removed. A space
// made anew moves: its docs are copied to a folder for the new room, and the old room
// is left and its folder removed. A space the hub may no longer hold is left and its
// copy deleted. A public space left behind keeps its standing doc offered in its old
// room for a while, as phones do (a phone that was away meets only the old room, and
// its standing doc holds the record that seals the phone its new key); nothing else.

/** A space's link to its peers (the transport's SpaceSync, or a stand-in in tests). */
export interface Connection {
  destroy(): Promise<void>
}
export type Connect = (kind: SpaceKind, key: SpaceKey, shelf: DiskShelf) => Connection

const Entry = v.object({ ...SpaceKeySchema.entries, folder: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,140}$/)) })
const StateSchema = v.object({
  spaces: v.object({ public: v.optional(Entry), staff: v.optional(Entry) }),
  /** Public rooms left behind, newest first, offered until the day given (as phones keep theirs: formerPublic). */
  former: v.optional(v.array(v.object({ ...Entry.entries, until: v.string() })), []),
  /** The invitation's proof is written (it is not written again at the next start). */
  accepted: v.optional(v.boolean(), false),
  /** When the hub learnt that staff removed it: it serves nothing until given a new link. */
  removed: v.optional(v.string()),
})
export type HubState = v.InferOutput<typeof StateSchema>

const STATE = 'hub.json'

/** What a new invite link starts from: nothing accepted or removed yet, the docs held (and rooms left behind) kept. */
export const startAfresh = (before: HubState | null): HubState => ({ spaces: before?.spaces ?? {}, former: before?.former ?? [], accepted: false })

/** What the hub remembers of one community, or null (never run, or run by a build before this one). */
export function readHubState(dir: string): HubState | null {
  try {
    const parsed = v.safeParse(StateSchema, JSON.parse(readFileSync(join(dir, STATE), 'utf8')))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

interface Held {
  shelf: DiskShelf
  connection: Connection | null
}

export class HubSpaces {
  private readonly held = new Map<SpaceKind, Held>()
  /** The public rooms left behind that are still offered, by folder. */
  private readonly formerHeld = new Map<string, Held>()
  private readonly shelfListeners = new Set<(kind: SpaceKind, shelf: DiskShelf) => void>()

  constructor(
    private readonly dir: string,
    private state: HubState,
    private readonly options: { connect: Connect; isDocName: (name: DocName) => boolean },
  ) {
    mkdirSync(dir, { recursive: true })
  }

  get accepted(): boolean {
    return this.state.accepted
  }
  get removed(): string | undefined {
    return this.state.removed
  }

  /** The room and secret the hub holds for a space now (null: none). */
  key(kind: SpaceKind): SpaceKey | null {
    const entry = this.state.spaces[kind]
    return entry ? { room: entry.room, secret: entry.secret } : null
  }

  /** The docs of a space, while it is served. */
  shelf(kind: SpaceKind): DiskShelf | undefined {
    return this.held.get(kind)?.shelf
  }

  folder(kind: SpaceKind): string | undefined {
    const entry = this.state.spaces[kind]
    return entry && join(this.dir, entry.folder)
  }

  /** Called when a space's docs are on another shelf (it moved to a new room). */
  onShelf(listener: (kind: SpaceKind, shelf: DiskShelf) => void): void {
    this.shelfListeners.add(listener)
  }

  markAccepted(): void {
    this.save({ ...this.state, accepted: true })
  }

  /**
   * Serves a space with this key: opens and joins it, or, if the hub held it under
   * another room, moves its docs there. Returns how many docs it holds and whether it moved.
   */
  async hold(kind: SpaceKind, key: SpaceKey): Promise<{ docs: number; moved: boolean }> {
    const entry = this.state.spaces[kind]
    if (entry && entry.room === key.room && entry.secret === key.secret) {
      const held = this.open(kind, entry.folder)
      held.connection ??= this.options.connect(kind, key, held.shelf)
      return { docs: held.shelf.names().length, moved: false }
    }
    // The first folder of a space is named by its kind (as earlier builds named it); a moved one by its room.
    let folder = entry ? `${kind}.${key.room.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128)}` : kind
    if (folder === entry?.folder) folder += '-1'
    const before = entry && this.open(kind, entry.folder)
    // Left before copying: nothing a peer sends to the old room is lost between the two.
    await before?.connection?.destroy()
    // Every update is on disk before the shelf takes the next, so its files are the whole space.
    mkdirSync(join(this.dir, folder), { recursive: true })
    if (entry) for (const file of readdirSync(join(this.dir, entry.folder))) if (file.endsWith('.ydoc')) copyFileSync(join(this.dir, entry.folder, file), join(this.dir, folder, file))
    const shelf = new DiskShelf(join(this.dir, folder), this.options.isDocName)
    const held: Held = { shelf, connection: null }
    this.held.set(kind, held)
    // Remembered once the copy is on disk; the old folder goes only after.
    this.save({ ...this.state, spaces: { ...this.state.spaces, [kind]: { ...key, folder } } })
    this.shelfListeners.forEach((listener) => listener(kind, shelf))
    if (before && entry) {
      before.shelf.close()
      if (kind === 'public') this.keepFormer(entry)
      else rmSync(join(this.dir, entry.folder), { recursive: true, force: true })
    }
    held.connection = this.options.connect(kind, key, shelf)
    return { docs: shelf.names().length, moved: before !== undefined }
  }

  /** Offers the public rooms left behind that are not past their day; forgets the rest. */
  serveFormer(): { room: string; until: string }[] {
    const day = today()
    const [offered, past] = [this.state.former.filter((f) => f.until >= day), this.state.former.filter((f) => f.until < day)]
    past.forEach((f) => rmSync(join(this.dir, f.folder), { recursive: true, force: true }))
    if (past.length > 0) this.save({ ...this.state, former: offered })
    for (const f of offered) {
      if (this.formerHeld.has(f.folder)) continue
      const shelf = new DiskShelf(join(this.dir, f.folder), (name) => name === STANDING)
      // Offered as it was, nothing taken in: the removed device still holds this room's secret.
      this.formerHeld.set(f.folder, { shelf, connection: this.options.connect('public', { room: f.room, secret: f.secret }, sendOnly(shelf)) })
    }
    return offered.map(({ room, until }) => ({ room, until }))
  }

  /** The old public room keeps its standing doc only, offered until FORMER_DAYS from today. */
  private keepFormer(entry: v.InferOutput<typeof Entry>): void {
    for (const file of readdirSync(join(this.dir, entry.folder))) if (file !== `${STANDING}.ydoc`) rmSync(join(this.dir, entry.folder, file), { force: true })
    const former = [{ ...entry, until: plusDays(today(), FORMER_DAYS) }, ...this.state.former.filter((f) => f.room !== entry.room)]
    for (const gone of former.slice(FORMER_KEPT)) {
      void this.formerHeld.get(gone.folder)?.connection?.destroy()
      this.formerHeld.get(gone.folder)?.shelf.close()
      this.formerHeld.delete(gone.folder)
      rmSync(join(this.dir, gone.folder), { recursive: true, force: true })
    }
    this.save({ ...this.state, former: former.slice(0, FORMER_KEPT) })
    this.serveFormer()
  }

  /** Leaves a space's room and deletes its copy (the hub may no longer hold it). Resolves once it has left. */
  async drop(kind: SpaceKind): Promise<void> {
    const entry = this.state.spaces[kind]
    const held = this.held.get(kind)
    this.held.delete(kind)
    const { [kind]: _, ...rest } = this.state.spaces
    this.save({ ...this.state, spaces: rest })
    await held?.connection?.destroy()
    held?.shelf.close()
    if (entry) rmSync(join(this.dir, entry.folder), { recursive: true, force: true })
  }

  /** Staff removed this hub: it leaves every room, deletes the staff space's copy, and remembers it. */
  async removedAt(stamp: string): Promise<void> {
    this.save({ ...this.state, removed: stamp })
    await this.drop('staff')
    await this.leave('public')
    await this.closeFormer()
  }

  /** Leaves a space's room but keeps its copy (nothing in it is hidden from any member). */
  async leave(kind: SpaceKind): Promise<void> {
    const held = this.held.get(kind)
    if (!held?.connection) return
    const { connection } = held
    held.connection = null
    await connection.destroy()
  }

  async close(): Promise<void> {
    const all = [...this.held.values()]
    this.held.clear()
    await this.closeFormer()
    await Promise.all(all.map(async ({ shelf, connection }) => {
      await connection?.destroy()
      shelf.close()
    }))
  }

  private async closeFormer(): Promise<void> {
    const all = [...this.formerHeld.values()]
    this.formerHeld.clear()
    await Promise.all(all.map(async ({ shelf, connection }) => {
      await connection?.destroy()
      shelf.close()
    }))
  }

  private open(kind: SpaceKind, folder: string): Held {
    let held = this.held.get(kind)
    if (!held) this.held.set(kind, (held = { shelf: new DiskShelf(join(this.dir, folder), this.options.isDocName), connection: null }))
    return held
  }

  private save(state: HubState): void {
    this.state = state
    const path = join(this.dir, STATE)
    const fd = openSync(`${path}.new`, 'w', 0o600)
    writeSync(fd, JSON.stringify(state))
    fsyncSync(fd)
    closeSync(fd)
    renameSync(`${path}.new`, path)
  }
}
