import { createSignal, createUniqueId, For, onCleanup, onMount, Show, splitProps, type JSX, type ParentProps } from 'solid-js'
import { problemText, t } from './i18n'
import type { ProblemKey } from '../../domain/validation'
import type { CollectionName } from '../../domain/collections'
import { hasDraft } from './drafts'
import { useToday } from './community'

// The few building blocks every screen uses: big touch targets (at least 48 px),
// high contrast, labels above fields and problems said in words under them.

type ButtonProps = JSX.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' }

export function Button(props: ButtonProps) {
  const [own, rest] = splitProps(props, ['variant', 'class'])
  const look = () =>
    own.variant === 'danger'
      ? 'bg-red-700 text-white hover:bg-red-800'
      : own.variant === 'secondary'
        ? 'bg-white text-stone-900 border-2 border-stone-700 hover:bg-stone-100'
        : 'bg-orange-800 text-white hover:bg-orange-900'
  return (
    <button
      type="button"
      {...rest}
      class={`min-h-12 rounded-xl px-5 py-2 font-semibold disabled:opacity-50 focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-blue-700 ${look()} ${own.class ?? ''}`}
    />
  )
}

/** What went wrong with a command, in words, where the person acted; nothing when nothing did. */
export function ProblemLine(props: { problem: ProblemKey | undefined }) {
  return (
    <Show when={props.problem}>
      {(key) => <p role="alert" class="mt-2 font-semibold text-red-800">{problemText(key())}</p>}
    </Show>
  )
}

/**
 * A confirmation ("you are in", "saved"), said only once the change is signed and on
 * disk: for the milliseconds before, "Saving…", since a browser killed then loses it.
 */
export function Kept(props: ParentProps) {
  const { sync } = useToday()
  return <>{sync.saving() ? t('common.saving') : props.children}</>
}

/**
 * Beside a record in a list: "Saving…" while this device's new or changed record is not
 * yet signed and on disk (milliseconds), so nothing shown as posted can be lost to a
 * killed browser; nothing once it is.
 */
export function SavingMark(props: { collection: CollectionName; id: string }) {
  const { sync } = useToday()
  return (
    <Show when={sync.savingRecord(props.collection, props.id)}>
      <span role="status" data-testid="saving" class="ml-2 rounded bg-amber-100 px-1.5 text-[0.8em] font-semibold text-amber-900">
        {t('common.saving')}
      </span>
    </Show>
  )
}

/** A form's save button, with "Saved" beside it once it has been. */
export function SaveRow(props: { saved: boolean }) {
  return (
    <div class="flex items-center gap-3">
      <Button type="submit">{t('common.save')}</Button>
      <Show when={props.saved}>
        <span role="status"><Kept>{t('common.saved')}</Kept></span>
      </Show>
    </div>
  )
}

export function Card(props: ParentProps<{ title?: string; class?: string }>) {
  return (
    <section class={`rounded-2xl bg-white p-4 shadow-sm border border-stone-300 ${props.class ?? ''}`}>
      <Show when={props.title}>
        <h2 class="mb-3 text-xl font-bold text-stone-900">{props.title}</h2>
      </Show>
      {props.children}
    </section>
  )
}

interface FieldProps {
  label: string
  hint?: string
  problem?: string
  value: string
  onInput: (value: string) => void
  multiline?: boolean
  name?: string
  autocomplete?: string
  type?: 'text' | 'date' | 'time' | 'number' | 'month'
}

let fieldCount = 0

export function Field(props: FieldProps) {
  const id = `field-${++fieldCount}`
  const inputClass = () =>
    `mt-1 block w-full rounded-xl border-2 px-3 py-2 text-stone-900 min-h-12 ${props.problem ? 'border-red-700' : 'border-stone-600'}`
  return (
    <div class="mb-4">
      <label for={id} class="block font-semibold text-stone-900">
        {props.label}
      </label>
      <Show when={props.hint}>
        <p class="text-stone-700 text-[0.9em]">{props.hint}</p>
      </Show>
      <Show
        when={props.multiline}
        fallback={
          <input
            id={id}
            name={props.name}
            autocomplete={props.autocomplete ?? 'off'}
            type={props.type ?? 'text'}
            inputmode={props.type === 'number' ? 'numeric' : undefined}
            class={inputClass()}
            value={props.value}
            aria-invalid={props.problem ? 'true' : undefined}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        }
      >
        <textarea
          id={id}
          name={props.name}
          rows={4}
          class={inputClass()}
          value={props.value}
          aria-invalid={props.problem ? 'true' : undefined}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      </Show>
      <Show when={props.problem}>
        <p role="alert" class="mt-1 font-semibold text-red-800">
          {props.problem}
        </p>
      </Show>
    </div>
  )
}

/**
 * Asks before something that cannot be undone, as a modal dialog: the browser draws it
 * above everything (a list card that skips its layout off screen cannot hold it in),
 * keeps focus inside it, and Escape cancels. Focus returns to what opened it.
 */
export function Confirm(props: ParentProps<{ message: string; confirmLabel: string; onConfirm: () => void; onCancel: () => void }>) {
  let dialog!: HTMLDialogElement
  const messageId = createUniqueId()
  onMount(() => dialog.showModal())
  onCleanup(() => dialog.open && dialog.close())
  return (
    <dialog
      ref={dialog}
      role="dialog"
      aria-labelledby={messageId}
      class="mx-auto mb-4 mt-auto w-[calc(100%-2rem)] max-w-md rounded-2xl bg-white p-5 backdrop:bg-black/60 sm:my-auto"
      onCancel={(event) => {
        event.preventDefault()
        props.onCancel()
      }}
    >
      <p id={messageId} class="mb-5 text-stone-900">{props.message}</p>
      {props.children}
      <div class="flex flex-wrap justify-end gap-3">
        <Button variant="secondary" onClick={() => props.onCancel()}>
          {t('common.cancel')}
        </Button>
        <Button variant="danger" onClick={() => props.onConfirm()}>
          {props.confirmLabel}
        </Button>
      </div>
    </dialog>
  )
}

/** A row of big toggle buttons: filters, categories, weekdays. */
/** A chosen chip is filled; the others are outlined. */
export const chipColours = (selected: boolean) => (selected ? 'border-orange-900 bg-orange-800 text-white' : 'border-stone-500 bg-white text-stone-900')

export function Chips<T extends string | number>(props: {
  label?: string
  options: readonly T[]
  selected: (value: T) => boolean
  onToggle: (value: T) => void
  text: (value: T) => string
  problem?: string
  testid?: string
}) {
  return (
    <fieldset class="mb-4">
      <Show when={props.label}>
        <legend class="mb-1 font-semibold text-stone-900">{props.label}</legend>
      </Show>
      <div class="flex flex-wrap gap-2" data-testid={props.testid}>
        <For each={props.options}>
          {(value) => (
            <button
              type="button"
              aria-pressed={props.selected(value)}
              data-value={String(value)}
              onClick={() => props.onToggle(value)}
              class={`min-h-12 rounded-full border-2 px-4 font-semibold ${chipColours(props.selected(value))}`}
            >
              {props.text(value)}
            </button>
          )}
        </For>
      </div>
      <Show when={props.problem}>
        <p role="alert" class="mt-1 font-semibold text-red-800">
          {props.problem}
        </p>
      </Show>
    </fieldset>
  )
}

/** A native select: the phone's own picker, big and familiar. */
export function Select(props: { label: string; name: string; value: string; options: { value: string; label: string }[]; onChange: (value: string) => void }) {
  const id = `field-${++fieldCount}`
  return (
    <div class="mb-4">
      <label for={id} class="block font-semibold text-stone-900">
        {props.label}
      </label>
      <select id={id} name={props.name} class="mt-1 block min-h-12 w-full rounded-xl border-2 border-stone-600 bg-white px-3" value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <For each={props.options}>{(o) => <option value={o.value}>{o.label}</option>}</For>
      </select>
    </div>
  )
}

/** "Publish …" button that opens a form in place, then says what was done. */
export function PublishPanel(props: { label: string; testid: string; draft: string; form: (done: (message?: string) => void) => JSX.Element }) {
  // Open again after an update's reload if its form held a draft.
  const [open, setOpen] = createSignal(hasDraft(props.draft))
  const [message, setMessage] = createSignal('')
  return (
    <>
      <Show
        when={open()}
        fallback={
          <Button class="mb-3" data-testid={props.testid} onClick={() => { setOpen(true); setMessage('') }}>
            {props.label}
          </Button>
        }
      >
        <div class="mb-4">{props.form((m) => { setOpen(false); setMessage(m ?? '') })}</div>
      </Show>
      <Show when={message()}>
        <p role="status" class="mb-3 font-semibold text-green-800">
          <Kept>{message()}</Kept>
        </p>
      </Show>
    </>
  )
}
