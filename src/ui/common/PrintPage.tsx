import type { JSX } from 'solid-js'
import { Button } from './components'
import { t } from './i18n'

/** A value from the page's address after '#/…?' (which record a print page shows). */
export const hashParam = (name: string): string => new URLSearchParams(location.hash.split('?')[1] ?? '').get(name) ?? ''

/**
 * A page made to be printed on A4 (the weekly poster, an errand slip, a route sheet):
 * back and print buttons that do not print, then the page itself.
 */
export function PrintPage(props: { back: string; testid: string; class?: string; children: JSX.Element }) {
  return (
    <div class={`mx-auto max-w-[210mm] bg-white p-6 text-stone-950 ${props.class ?? ''}`} data-testid={props.testid}>
      <div class="no-print mb-4 flex gap-3">
        <Button variant="secondary" onClick={() => (location.hash = props.back)}>‹ {t('acts.back')}</Button>
        <Button onClick={() => window.print()}>{t('acts.print')}</Button>
      </div>
      {props.children}
    </div>
  )
}
