import type { Writer } from '../store/collection'
import type { CommandContext, Feature, LiveContext } from '../store/feature'
import type { LiveCollection } from '../store/reactive'
import type { SpaceDocs } from '../store/space-docs'
import { membersFeature } from '../store/members'
import { noticesFeature } from '../store/notices'
import { shiftsFeature } from '../store/shifts'
import { activitiesFeature } from '../store/activities'
import { aidFeature } from '../store/aid'
import { concernsFeature } from '../store/concerns'
import { errandsFeature } from '../store/errands'
import { visitsFeature } from '../store/visits'
import { sharesFeature } from '../store/shares'
import { canteenFeature } from '../trust/orders'

// The features, each declared once where its records are written (store/feature.ts).
// A new feature is one line here; the session and its types loop over this list.

export const features = {
  members: membersFeature,
  notices: noticesFeature,
  shifts: shiftsFeature,
  activities: activitiesFeature,
  aid: aidFeature,
  concerns: concernsFeature,
  errands: errandsFeature,
  canteen: canteenFeature,
  visits: visitsFeature,
  shares: sharesFeature,
}

type Features = typeof features
/** What each feature that declares `part` gives, by the feature's name. */
type Given<Part extends keyof Feature> = {
  [Name in keyof Features as Features[Name] extends Record<Part, unknown> ? Name : never]: Features[Name] extends Record<Part, (...args: never[]) => infer Made> ? Made : never
}
export type FeatureLive = Given<'live'>
export type FeatureStaffLive = Given<'staffLive'>
export type FeatureCommands = Given<'commands'>
export type FeatureStaffCommands = Given<'staffCommands'>

/** Calls `part` of each feature that declares it. */
function each<Part extends keyof Feature, Made>(part: Part, call: (declared: Required<Feature>[Part]) => object): Made {
  const made: Record<string, object> = {}
  for (const [name, declared] of Object.entries(features) as [string, Feature][]) {
    const given = declared[part]
    if (given) made[name] = call(given as Required<Feature>[Part])
  }
  return made as Made
}

export const liveOfFeatures = (ctx: LiveContext): FeatureLive => each('live', (live) => live(ctx))

export const staffLiveOfFeatures = (ctx: LiveContext & { staff: SpaceDocs }): FeatureStaffLive => each('staffLive', (live) => live(ctx))

export function commandsOfFeatures(ctx: CommandContext) {
  const staff = ctx.staff
  return {
    ...each<'commands', FeatureCommands>('commands', (commands) => commands(ctx)),
    /** Only on a device that holds the staff space, so a screen cannot reach them without it. */
    staff: staff ? each<'staffCommands', FeatureStaffCommands>('staffCommands', (commands) => commands({ ...ctx, staff: staff as Writer })) : null,
  }
}
export type Commands = ReturnType<typeof commandsOfFeatures>
export type StaffCommands = FeatureStaffCommands

const isCollection = (value: object): value is LiveCollection<object> => 'skipped' in value && 'byId' in value

/** Every live collection in what features gave (a feature's live data is one collection or an object of them). */
export function collectionsIn(given: object | null): LiveCollection<object>[] {
  if (!given) return []
  return Object.values(given).flatMap((live: object) => (isCollection(live) ? [live] : Object.values(live).filter((part): part is LiveCollection<object> => typeof part === 'object' && isCollection(part))))
}

/** Stops every live view features gave (collections, and the canteen's day groups). */
export function disposeAll(given: object | null): void {
  if (!given) return
  for (const live of Object.values(given) as object[]) {
    if ('dispose' in live) (live as { dispose(): void }).dispose()
    else for (const part of Object.values(live)) if (typeof part === 'object' && part && 'dispose' in part) (part as { dispose(): void }).dispose()
  }
}
