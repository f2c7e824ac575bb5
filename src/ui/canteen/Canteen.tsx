import { createSignal, Match, Show, Switch } from 'solid-js'
import type { CommunitySession } from '../../session'
import type { AppState } from '../common/app-state'
import { Chips } from '../common/components'
import { t } from '../common/i18n'
import type { Actor } from '../../domain/actor'
import type { CanteenBoard } from './board'
import { MenuWeek } from './Menus'
import { Reserve } from './Reserve'
import { MyRound, Rounds } from './Rounds'
import { Report, Roster, StaffBoard } from './Staff'

type Section = 'menu' | 'reserve' | 'board' | 'roster' | 'rounds' | 'report'

export default function Canteen(props: { app: AppState; session: CommunitySession; board: CanteenBoard; me: Actor; deliveryVolunteers: () => { id: string; name: string }[] }) {
  const [section, setSection] = createSignal<Section>('menu')
  // The roster, rounds and money exist only on devices that hold the staff space.
  const sections = (): Section[] => (props.board.hasStaffSpace ? ['menu', 'reserve', 'board', 'roster', 'rounds', 'report'] : ['menu', 'reserve'])
  return (
    <div class="space-y-4">
      <Show when={props.board.hasStaffSpace}>
        <MyRound session={props.session} board={props.board} me={props.me} />
      </Show>
      <Chips options={sections()} selected={(s) => section() === s} onToggle={setSection} text={(s) => t(`canteen.${s}`)} testid="canteen-section" />
      <Switch>
        <Match when={section() === 'menu'}>
          <MenuWeek session={props.session} board={props.board} me={props.me} />
        </Match>
        <Match when={section() === 'reserve'}>
          <Reserve app={props.app} session={props.session} board={props.board} me={props.me} />
        </Match>
        <Match when={section() === 'board'}>
          <StaffBoard board={props.board} />
        </Match>
        <Match when={section() === 'roster'}>
          <Roster session={props.session} board={props.board} />
        </Match>
        <Match when={section() === 'rounds'}>
          <Rounds session={props.session} board={props.board} me={props.me} deliveryVolunteers={props.deliveryVolunteers} />
        </Match>
        <Match when={section() === 'report'}>
          <Report board={props.board} />
        </Match>
      </Switch>
    </div>
  )
}
