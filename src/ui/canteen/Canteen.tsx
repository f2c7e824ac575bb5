import { createSignal, Match, Switch } from 'solid-js'
import { Chips } from '../common/components'
import { StaffOnly, useCommunity } from '../common/community'
import { t } from '../common/i18n'
import { MenuWeek } from './Menus'
import { Reserve } from './Reserve'
import { MyRound, Rounds, SealedRounds } from './Rounds'
import { MealTallies, Report, Roster } from './Staff'

type Section = 'menu' | 'reserve' | 'board' | 'roster' | 'rounds' | 'report'

export default function Canteen() {
  const community = useCommunity()
  const [section, setSection] = createSignal<Section>('menu')
  // The roster, rounds and money exist only on devices that hold the staff space.
  const sections = (): Section[] => (community.staff ? ['menu', 'reserve', 'board', 'roster', 'rounds', 'report'] : ['menu', 'reserve'])
  return (
    <div class="space-y-4">
      <StaffOnly fallback={<SealedRounds />}>
        <MyRound />
      </StaffOnly>
      <Chips options={sections()} selected={(s) => section() === s} onToggle={setSection} text={(s) => t(`canteen.${s}`)} testid="canteen-section" />
      <Switch>
        <Match when={section() === 'menu'}>
          <MenuWeek />
        </Match>
        <Match when={section() === 'reserve'}>
          <Reserve />
        </Match>
      </Switch>
      <StaffOnly>
        <Switch>
          <Match when={section() === 'board'}>
            <MealTallies />
          </Match>
          <Match when={section() === 'roster'}>
            <Roster />
          </Match>
          <Match when={section() === 'rounds'}>
            <Rounds />
          </Match>
          <Match when={section() === 'report'}>
            <Report />
          </Match>
        </Switch>
      </StaffOnly>
    </div>
  )
}
