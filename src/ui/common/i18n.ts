import { createSignal } from 'solid-js'
import type { Language } from '../../sync/device'
import type { ProblemKey } from '../../domain/validation'
import type { zh } from './words-zh'

// Every word on screen comes from a dictionary per language (words-zh.ts, words-en.ts),
// and only the one in use is loaded: a phone never downloads the other.

export type MessageKey = keyof typeof zh
type Dictionary = Record<MessageKey, string>

const load: Record<Language, () => Promise<{ default: Dictionary }>> = {
  'zh-CN': () => import('./words-zh'),
  en: () => import('./words-en'),
}

const [words, setWords] = createSignal<Dictionary>()
const [language, setLanguageNow] = createSignal<Language>('zh-CN')
export { language }

// Remembered apart from the settings (which live in IndexedDB), so the next start can
// fetch the words while it reads the settings.
const LAST_LANGUAGE = 'neighbours.language'
export function lastLanguage(): Language {
  try {
    return localStorage.getItem(LAST_LANGUAGE) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN' // storage blocked: main.tsx says so, in the browser's language
  }
}

let asked: Language | undefined
/** Loads a language's words and then switches every screen to it (the last asked wins). */
export async function setLanguage(next: Language): Promise<void> {
  asked = next
  try {
    localStorage.setItem(LAST_LANGUAGE, next)
  } catch {
    // Only a guess for the next start.
  }
  const dictionary = (await load[next]()).default
  if (asked !== next) return
  setWords(() => dictionary)
  setLanguageNow(next)
}

const WEEKDAY_KEYS = ['weekday.1', 'weekday.2', 'weekday.3', 'weekday.4', 'weekday.5', 'weekday.6', 'weekday.7'] as const

/** An ISO weekday's name (1 = Monday … 7 = Sunday; records are checked to hold only these). */
export const weekdayName = (isoWeekday: number): string => t(WEEKDAY_KEYS[isoWeekday - 1] ?? 'weekday.7')

/** A key's words in the current language (the app shows nothing before a language is loaded). */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = words()?.[key] ?? ''
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`))
}

/** A problem the domain named (e.g. 'problem.required'), in the current language. */
export function problemText(key: ProblemKey | undefined): string {
  return key ? t(key) : ''
}
