// A half-filled form outlives the reload that installing an update needs. Just
// before it, every open form marked `data-draft="<name>"` is kept in sessionStorage;
// after it, the same form, once shown again, gets its fields back (once).

const KEY = 'neighbours.drafts'
type Draft = Record<string, string>

// Taken at start, so a draft is offered to the first form of its name and then gone.
const pending: Record<string, Draft> = (() => {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, Draft>
    sessionStorage.removeItem(KEY)
    return saved && typeof saved === 'object' ? saved : {}
  } catch {
    return {}
  }
})()

type Typed = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement
const typed = (el: Element): el is Typed =>
  (el instanceof HTMLInputElement && !['checkbox', 'radio', 'submit', 'button', 'file'].includes(el.type)) || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement

/** Keeps what is typed in every open draft form, for the page that comes after a reload. */
export function keepDrafts(): void {
  const drafts: Record<string, Draft> = {}
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-draft]')) {
    const fields: Draft = {}
    for (const el of form.elements) if (typed(el) && el.name) fields[el.name] = el.value
    if (Object.values(fields).some((value) => value !== '')) drafts[form.dataset.draft!] = fields
  }
  sessionStorage.setItem(KEY, JSON.stringify(drafts))
}

/** Whether a form of this name had text before the reload (a closed panel opens for it). */
export const hasDraft = (name: string): boolean => name in pending

/** A ref for a draft form: puts its kept text back, through the same input events typing sends. */
export function restoreDraft(form: HTMLFormElement): void {
  queueMicrotask(() => {
    const name = form.dataset.draft
    const draft = name ? pending[name] : undefined
    if (!name || !draft) return
    // Today's glance (an inert copy, ui/today/glance.tsx) shows the text too, but the live form keeps it.
    if (!form.closest('#glance')) delete pending[name]
    for (const [field, value] of Object.entries(draft)) {
      const el = form.elements.namedItem(field)
      if (!(el instanceof Element) || !typed(el)) continue
      el.value = value
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }))
    }
  })
}
