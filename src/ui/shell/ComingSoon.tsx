import { Card } from '../common/components'
import { t, type MessageKey } from '../common/i18n'

// Honest placeholders: each feature arrives with its own issue.
export function ComingSoon(props: { tab: string }) {
  return (
    <Card title={t(`nav.${props.tab}` as MessageKey)}>
      <p class="mb-2 font-semibold text-orange-900">{t('soon.title')}</p>
      <p>{t(`soon.${props.tab}` as MessageKey)}</p>
    </Card>
  )
}
