import { createSignal, For, Show } from 'solid-js'
import { createOpenedShare, createSharesForMe } from '../common/shares'
import { today } from '../../domain/calendar'
import { MEALS, planRounds, type DoorResult, type Elder, type Round } from '../../domain/canteen'
import { hashParam, PrintPage } from '../common/PrintPage'
import { Button, Card, Field, Kept, ProblemLine, Select } from '../common/components'
import { shareIdOf, type Share } from '../../domain/shares'
import { downloadCsv } from '../common/download'
import { problemText, t } from '../common/i18n'
import { useCommunity, useStaff } from '../common/community'
import type { StaffCanteenBoard } from './board'
import { dietText } from './labels'
import { firstProblem, type ProblemKey } from '../../domain/validation'

/** Staff: turn today's deliveries into rounds by building, assign them, watch them progress. */
export function Rounds() {
  const { shifts, members } = useCommunity()
  const staff = useStaff().canteen
  const [message, setMessage] = createSignal('')
  const todays = () => staff.rounds().filter((r) => r.day === today())
  const plan = () => {
    let count = 0
    // Orders come sealed; a staff device opens them a moment after they arrive (trust/orders.ts).
    let sealed = 0
    for (const meal of MEALS) {
      const served = staff.servedOf(today(), meal)
      sealed += served.filter((o) => !o.elderCode && !o.paused).length
      const planned = new Set(todays().filter((r) => r.meal === meal).flatMap((r) => r.stops))
      for (const round of planRounds(served.filter((o) => !o.elderCode || !planned.has(o.elderCode)), staff.elders())) {
        const saved = staff.saveRound({ day: today(), meal, name: `${t(`meal.${meal}`)} · ${round.name}`, stops: round.stops, volunteerId: '', volunteerName: '' })
        if (saved.ok) count++
      }
    }
    const planned = count > 0 ? t('canteen.planned', { count }) : t('canteen.noDeliveries')
    setMessage(sealed > 0 ? `${planned} ${t('canteen.notOpenedYet', { count: sealed })}` : planned)
  }
  // Volunteers on today's meal-delivery shift come first; then everyone else.
  const candidates = () => {
    const onShift = shifts.deliveryVolunteers(today())
    const others = members
      .ids()
      .map((id) => members.byId[id]!)
      .filter((m) => m && !onShift.some((v) => v.id === m.deviceId))
      .map((m) => ({ id: m.deviceId, name: m.name }))
    return [...onShift.map((v) => ({ ...v, label: `${v.name} · ${t('shift.cat.delivery')}` })), ...others.map((m) => ({ ...m, label: m.name }))]
  }
  const assign = (round: Round, id: string) => {
    const v = candidates().find((x) => x.id === id)
    staff.saveRound({ ...round, volunteerId: v?.id ?? '', volunteerName: v?.name ?? '' })
  }
  return (
    <div class="space-y-4">
      <Card title={t('canteen.rounds')}>
        <Button data-testid="plan-rounds" onClick={plan}>{t('canteen.planRounds')}</Button>
        <Show when={message()}><p role="status" class="mt-2 font-semibold"><Kept>{message()}</Kept></p></Show>
      </Card>
      <Show when={todays().length > 0} fallback={<p class="px-1">{t('canteen.noRounds')}</p>}>
        <For each={todays()}>
          {(round) => {
            const results = () => staff.resultsOf(round.id)
            const done = () => [...results().values()].filter((m) => m.result === 'delivered').length
            return (
              <Card title={round.name}>
                <div data-testid="round" data-round={round.id}>
                  <p class="font-bold" data-testid="round-progress">{t('canteen.progress', { done: done(), total: round.stops.length })}</p>
                  <Select label={t('canteen.assign')} name="volunteer" value={round.volunteerId} options={[{ value: '', label: t('canteen.unassigned') }, ...candidates().map((c) => ({ value: c.id, label: c.label }))]} onChange={(id) => assign(round, id)} />
                  <ol class="list-decimal pl-6">
                    <For each={round.stops}>
                      {(code) => (
                        <li>
                          {staff.elders().get(code)?.name ?? code}
                          <Show when={results().get(code)}>{(m) => <span class={m().result === 'delivered' ? 'text-green-800' : 'font-bold text-red-800'}> · {t(`door.${m().result}`)}</span>}</Show>
                        </li>
                      )}
                    </For>
                  </ol>
                  <SendSealed round={round} />
                  <div class="mt-3 flex flex-wrap gap-2">
                    <a href={`#/route?id=${round.id}`} class="inline-flex min-h-12 items-center rounded-xl border-2 border-stone-700 px-4 font-semibold">{t('canteen.printRoute')}</a>
                    <Button variant="secondary" onClick={() => void exportRoute(staff, round)}>{t('canteen.exportRoute')}</Button>
                  </div>
                </div>
              </Card>
            )
          }}
        </For>
      </Show>
    </div>
  )
}

/**
 * Sends the round to its volunteer's phones, sealed: only their devices can open it,
 * so a volunteer with a resident invite sees their own stops and no one else's.
 */
function SendSealed(props: { round: Round }) {
  const { shares } = useCommunity()
  const staff = useStaff().canteen
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  // Sealed to this round's volunteer (after a reassignment, it must be sent again).
  const sent = () => {
    const share = shares.data.shares.byId[shareIdOf(props.round.id)]
    return share?.personId === props.round.volunteerId && !share.ended ? share : undefined
  }
  const send = async () => setProblem(firstProblem(await shares.seal(props.round, staff.elders())))
  return (
    <Show when={props.round.volunteerId}>
      <div class="mt-3">
        <Show when={sent()}>
          {(share) => <p class="font-semibold text-green-800" data-testid="round-sent">{t('canteen.sentSealed', { name: props.round.volunteerName, count: Object.keys(share().keys).length })}</p>}
        </Show>
        <Button variant="secondary" data-testid="send-sealed" onClick={() => void send()}>{sent() ? t('canteen.sendAgain') : t('canteen.sendSealed')}</Button>
        <ProblemLine problem={problem()} />
      </div>
    </Show>
  )
}

function exportRoute(board: StaffCanteenBoard, round: Round) {
  const results = board.resultsOf(round.id)
  return downloadCsv(`route-${round.day}-${round.id}.csv`, [
    [t('canteen.csv.stop'), t('canteen.csv.name'), t('canteen.csv.address'), t('canteen.csv.diet'), t('canteen.csv.note'), t('canteen.csv.result')],
    ...round.stops.map((code, i) => {
      const e = board.elders().get(code)
      const result = results.get(code)
      return [i + 1, e?.name ?? code, `${e?.building ?? ''} ${e?.unit ?? ''}`, dietText(e, ' '), e?.deliveryNote ?? '', result ? t(`door.${result.result}`) : '']
    }),
  ])
}

/** The delivery volunteer's round on their phone: in order, with notes and diet flags, offline. */
export function MyRound() {
  const { actor } = useCommunity()
  const staff = useStaff().canteen
  const mine = () => staff.rounds().filter((r) => r.day === today() && r.volunteerId === actor().id)
  return (
    <For each={mine()}>
      {(round) => (
        <Card title={`${t('canteen.myRound')} · ${round.name}`}>
          <ol class="space-y-3" data-testid="my-round">
            <For each={round.stops}>{(code, i) => <Stop round={round} code={code} index={i() + 1} />}</For>
          </ol>
        </Card>
      )}
    </For>
  )
}

function Stop(props: { round: Round; code: string; index: number }) {
  const staff = useStaff().canteen
  const elder = () => staff.elders().get(props.code)
  return (
    <DoorStop
      index={props.index}
      code={props.code}
      stop={elder()}
      result={staff.resultsOf(props.round.id).get(props.code)}
      onMark={(result, note) => firstProblem(staff.markDoor(props.round.id, props.code, result, note))}
    />
  )
}

/** What a driver needs at one door (from the roster, or from a sealed round). */
type StopDetails = Pick<Elder, 'name' | 'building' | 'unit' | 'allergies' | 'deliveryNote' | 'emergencyName' | 'emergencyPhone'> & { diets: readonly string[] }

/** One door of a round: who, what they may not eat, and delivered / not home / a concern (with a note). */
export function DoorStop(props: { index: number; code: string; stop: StopDetails | undefined; result: { result: DoorResult; note: string } | undefined; onMark: (result: DoorResult, note: string) => ProblemKey | undefined | Promise<ProblemKey | undefined> }) {
  const [note, setNote] = createSignal('')
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const mark = async (r: DoorResult) => setProblem(await props.onMark(r, note()))
  const diets = () => (props.stop ? dietText({ diets: props.stop.diets as Elder['diets'], allergies: props.stop.allergies }) : '')
  return (
    <li class="rounded-xl border-2 border-stone-300 p-3" data-testid="stop" data-code={props.code} data-result={props.result?.result ?? ''}>
      <p class="text-lg font-bold">{props.index}. {props.stop?.name ?? props.code} · {props.stop?.building} {props.stop?.unit}</p>
      <Show when={diets()}>
        <p class="font-semibold text-red-900">{diets()}</p>
      </Show>
      <Show when={props.stop?.deliveryNote}><p>{props.stop!.deliveryNote}</p></Show>
      <Show when={props.result}>{(m) => <p role="status" class={m().result === 'delivered' ? 'font-bold text-green-800' : 'font-bold text-red-800'}><Kept>{t(`door.${m().result}`)} {m().note}</Kept></p>}</Show>
      <Show when={props.result && props.result.result !== 'delivered'}>
        <p role="alert" class="font-bold text-red-900" data-testid="call-emergency">{t('canteen.callEmergency', { name: props.stop?.emergencyName ?? '', phone: props.stop?.emergencyPhone ?? '' })}</p>
      </Show>
      <Field label={t('canteen.concernNote')} name="note" value={note()} problem={problemText(problem())} onInput={setNote} />
      <div class="flex flex-wrap gap-2">
        <Button data-testid="mark-delivered" onClick={() => void mark('delivered')}>{t('door.delivered')}</Button>
        <Button variant="secondary" data-testid="mark-not-home" onClick={() => void mark('notHome')}>{t('door.notHome')}</Button>
        <Button variant="danger" data-testid="mark-concern" onClick={() => void mark('concern')}>{t('door.concern')}</Button>
      </div>
    </li>
  )
}

/**
 * A round staff sealed to this phone: the volunteer's own stops, with no staff space
 * on the device; door marks go back sealed with the round's key. Gone after its day.
 */
export function SealedRounds() {
  const mine = createSharesForMe('round')
  return <For each={mine()}>{(share) => <SealedRound share={share} />}</For>
}

function SealedRound(props: { share: Share }) {
  const { shares } = useCommunity()
  const { opened, replies } = createOpenedShare(() => props.share, 'round', shares.openReply)
  // What this phone marked at each door.
  const marks = () => new Map((replies() ?? []).map((m) => [m.code, m]))
  return (
    <Show when={opened()}>
      {(o) => (
        <Card title={`${t('canteen.myRound')} · ${o().round.round.name}`}>
          <p class="mb-2 text-stone-700">{t('canteen.sealedNote')}</p>
          <ol class="space-y-3" data-testid="my-round" data-sealed="true">
            <For each={o().round.stops}>
              {(stop, i) => (
                <DoorStop index={i() + 1} code={stop.code} stop={stop} result={marks().get(stop.code)} onMark={async (result, note) => firstProblem(await shares.mark(o(), { code: stop.code, result, note }))} />
              )}
            </For>
          </ol>
        </Card>
      )}
    </Show>
  )
}

/** The route sheet, printable on A4. */
export function RouteSheet() {
  const { name } = useCommunity()
  const staff = useStaff().canteen
  const round = () => staff.rounds().find((r) => r.id === hashParam('id'))
  return (
    <PrintPage back="#/canteen" testid="route-sheet">
      <Show when={round()} fallback={<p>{t('problem.notFound')}</p>}>
        {(r) => (
          <>
            <h1 class="text-[1.6em] font-bold">{name} · {r().name} · {r().day}</h1>
            <p>{t('canteen.assign')}：{r().volunteerName || t('canteen.unassigned')}</p>
            <table class="mt-3 w-full border-collapse text-left">
              <thead><tr><th>{t('canteen.csv.stop')}</th><th>{t('canteen.csv.name')}</th><th>{t('canteen.csv.address')}</th><th>{t('canteen.csv.diet')}</th><th>{t('canteen.csv.note')}</th><th>✓</th></tr></thead>
              <tbody>
                <For each={r().stops}>
                  {(code, i) => {
                    const e = () => staff.elders().get(code)
                    return (
                      <tr class="border-t border-stone-400">
                        <td>{i() + 1}</td><td>{e()?.name ?? code}</td><td>{e()?.building} {e()?.unit}</td>
                        <td>{dietText(e(), ' ')}</td>
                        <td>{e()?.deliveryNote} {e()?.emergencyName} {e()?.emergencyPhone}</td><td>☐</td>
                      </tr>
                    )
                  }}
                </For>
              </tbody>
            </table>
          </>
        )}
      </Show>
    </PrintPage>
  )
}
