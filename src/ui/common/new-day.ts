import { today } from '../../domain/calendar'
import { keepDrafts } from './drafts'

/**
 * A phone keeps the app open for days, and everything dated was read for the day it
 * started on: Today, the day strip, the months kept open. Once the date has changed,
 * the next time the app comes back into view it starts afresh; what was being typed is
 * kept across the reload (drafts.ts). Never while in view: a reload under a person's
 * thumb would be worse than yesterday's date (a screen kept in view all night keeps
 * yesterday's until it is next brought back).
 */
export function startAfreshOnANewDay(): void {
  const startedOn = today()
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || today() === startedOn) return
    try {
      keepDrafts()
    } catch {
      // sessionStorage blocked: the reload still brings the right day.
    }
    location.reload()
  })
}
