import { isVisitHelp } from '../../domain/visits'
import { t } from '../common/i18n'

// A request "needs help" posted after a visit carries fixed words, not the household's
// (domain/visits.ts helpForHousehold): shown here in the reader's language.

export const requestTitle = (request: { title: string; forName: string }) => (isVisitHelp(request) ? t('aid.visitHelpTitle') : request.title)
export const requestFor = (request: { title: string; forName: string }) => (isVisitHelp(request) ? t('aid.visitHelpFor') : request.forName)
