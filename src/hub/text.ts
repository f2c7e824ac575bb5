import { createHash } from 'node:crypto'
import { join } from 'node:path'

// What the hub writes to its terminal and its folders, from what peers and links say.

/** Labels and names come from peers and links: control characters (escape sequences that retitle or clear a terminal) show as '?'. */
export const printable = (part: unknown) => (typeof part === 'string' ? part.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?') : part)

/** A community's folder: named from a hash of its id, so no id reaches outside the hub's own folder. */
export const communityFolder = (root: string, id: string) => join(root, createHash('sha256').update(id).digest('hex').slice(0, 32))
