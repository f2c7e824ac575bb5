// Form validation result shared by every command: either the clean value, or the
// problems found, each named by an i18n key so screens can say it in plain words.

export type Problems<F extends string = string> = Partial<Record<F, string>>

export type Checked<T, F extends string = string> =
  | { ok: true; value: T }
  | { ok: false; problems: Problems<F> }

export function checked<T, F extends string>(value: T, problems: Problems<F>): Checked<T, F> {
  return Object.keys(problems).length === 0 ? { ok: true, value } : { ok: false, problems }
}

/** Trimmed text with its length checked; returns the i18n key of the problem, if any. */
export function textProblem(text: string, { required, max }: { required: boolean; max: number }): string | undefined {
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
