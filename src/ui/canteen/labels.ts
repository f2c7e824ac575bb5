import type { Elder } from '../../domain/canteen'
import { t } from '../common/i18n'

/** An elder's diet flags and allergies in words, for the board, the round and the route sheet. */
export function dietText(elder: Pick<Elder, 'diets' | 'allergies'> | undefined, separator = t('common.listSeparator')): string {
  if (!elder) return ''
  return [...elder.diets.map((d) => t(`diet.${d}`)), elder.allergies].filter(Boolean).join(separator)
}
