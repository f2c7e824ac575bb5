// Form validation result shared by every command: either the clean value, or the
// problems found, each named by an i18n key so screens can say it in plain words.

/** Every problem the app can name; the dictionaries must say each one (i18n.ts checks). */
export type ProblemKey =
  | 'storage.notSaved'
  | 'problem.activityCancelled'
  | 'problem.alreadyIn'
  | 'problem.attendanceTooEarly'
  | 'problem.badCode'
  | 'problem.badCount'
  | 'problem.badDate'
  | 'problem.badInvite'
  | 'problem.inviteNoFounder'
  | 'problem.inviteRoomTaken'
  | 'problem.inviteSignaling'
  | 'problem.badPrice'
  | 'problem.badPhone'
  | 'problem.badSignaling'
  | 'problem.badTime'
  | 'problem.cannotSeal'
  | 'problem.concernNeedsNote'
  | 'problem.countAtLeastOne'
  | 'problem.dateInPast'
  | 'problem.endBeforeStart'
  | 'problem.fullAddress'
  | 'problem.noCrypto'
  | 'problem.noDatesInRange'
  | 'problem.noDelivery'
  | 'problem.noDeviceKey'
  | 'problem.noDropbox'
  | 'problem.noDishes'
  | 'problem.noMenu'
  | 'problem.noSeats'
  | 'problem.noStops'
  | 'problem.noVolunteer'
  | 'problem.noWeekdays'
  | 'problem.nobodyTook'
  | 'problem.notAgent'
  | 'problem.notAllowed'
  | 'problem.notDoneYet'
  | 'problem.notFound'
  | 'problem.notOffered'
  | 'problem.notOpen'
  | 'problem.notSignedUp'
  | 'problem.notYetHeld'
  | 'problem.offerGone'
  | 'problem.offerNotForYou'
  | 'problem.otherMonth'
  | 'problem.pastCutoff'
  | 'problem.photoTooLarge'
  | 'problem.photoUnreadable'
  | 'problem.placesAtLeastOne'
  | 'problem.required'
  | 'problem.seriesTooLong'
  | 'problem.shiftCancelled'
  | 'problem.shiftOver'
  | 'problem.starsOneToFive'
  | 'problem.tooLong'
  | 'problem.tooMany'
  | 'problem.untilBeforeFrom'

export type Problems<F extends string = string> = Partial<Record<F, ProblemKey>>

export type Checked<T, F extends string = string> =
  | { ok: true; value: T }
  | { ok: false; problems: Problems<F> }

/** The first problem of a refused command (a card shows one line), or none. */
export const firstProblem = (result: Checked<unknown>): ProblemKey | undefined => (result.ok ? undefined : Object.values<ProblemKey | undefined>(result.problems)[0])

/** A command refused for one reason, named on one field. */
export const failed = <F extends string>(field: F, problem: ProblemKey) => ({ ok: false as const, problems: { [field]: problem } as Problems<F> })

export function checked<T, F extends string>(value: T, problems: Problems<F>): Checked<T, F> {
  return Object.keys(problems).length === 0 ? { ok: true, value } : { ok: false, problems }
}

/** Trimmed text with its length checked; returns the i18n key of the problem, if any. */
export function textProblem(text: string, { required, max }: { required: boolean; max: number }): ProblemKey | undefined {
  const trimmed = text.trim()
  if (required && trimmed.length === 0) return 'problem.required'
  if (trimmed.length > max) return 'problem.tooLong'
  return undefined
}

/** Records the problem with one text field, if it has one. */
export function checkText<F extends string>(problems: Problems<F>, field: F, text: string, rule: { required: boolean; max: number }): void {
  const problem = textProblem(text, rule)
  if (problem) problems[field] = problem
}
