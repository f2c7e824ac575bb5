import { createSignal, Show } from 'solid-js'
import { checkCommunityName, checkDisplayName } from '../../domain/community'
import { isStaffInvite, readInvite, type Invite } from '../../sync/invite'
import { useApp } from '../common/community'
import { Button, Card, Field } from '../common/components'
import { problemText, t } from '../common/i18n'
import type { ProblemKey } from '../../domain/validation'

/** Join from an invite link, or create a new community: first run, and from Me. */
export function JoinOrCreate(props: { invite?: Invite | null; beforeJoin?: () => boolean; onDone?: () => void }) {
  const app = useApp()
  const [link, setLink] = createSignal('')
  const [linkProblem, setLinkProblem] = createSignal<ProblemKey | undefined>()
  const [name, setName] = createSignal('')
  const [nameProblem, setNameProblem] = createSignal<ProblemKey | undefined>()

  const joinInvite = (invite: Invite) => {
    if (props.beforeJoin && !props.beforeJoin()) return
    void app.joinFromInvite(invite).then(
      (result) => (result === 'joined' ? props.onDone?.() : setLinkProblem(result === 'noFounder' ? 'problem.inviteNoFounder' : result === 'roomTaken' ? 'problem.inviteRoomTaken' : result === 'badSignaling' ? 'problem.inviteSignaling' : 'problem.badInvite')),
      () => setLinkProblem('storage.notSaved'),
    )
  }
  const join = (event: Event) => {
    event.preventDefault()
    const invite = readInvite(link())
    if (!invite) return setLinkProblem('problem.badInvite')
    setLinkProblem(undefined)
    joinInvite(invite)
  }
  const create = (event: Event) => {
    event.preventDefault()
    // Check every field at once, so the person sees all that is missing together.
    const check = checkCommunityName(name())
    setNameProblem(check.ok ? undefined : check.problems.name)
    const readyToJoin = props.beforeJoin ? props.beforeJoin() : true
    if (!check.ok || !readyToJoin) return
    void app.createCommunity(check.value).then(() => props.onDone?.(), () => setNameProblem('storage.notSaved'))
  }

  return (
    <div class="space-y-4">
      <Show when={props.invite}>
        {(invite) => (
          <Card title={t('onboard.invitedTo', { name: invite().name })}>
            <p class="mb-3">{isStaffInvite(invite()) ? t('onboard.invitedAsStaff') : t('onboard.invitedAsResident')}</p>
            <Button data-testid="accept-invite" onClick={() => joinInvite(invite())}>
              {t('onboard.joinThis')}
            </Button>
          </Card>
        )}
      </Show>
      <Card title={t('onboard.join')}>
        <form onSubmit={join}>
          <Field label={t('onboard.inviteLink')} hint={t('onboard.joinHint')} name="invite" value={link()} problem={problemText(linkProblem())} onInput={setLink} />
          <Button type="submit" variant="secondary">
            {t('onboard.joinButton')}
          </Button>
        </form>
      </Card>
      <Card title={t('onboard.create')}>
        <p class="mb-3 text-stone-800">{t('onboard.createHint')}</p>
        <form onSubmit={create}>
          <Field label={t('onboard.communityName')} hint={t('onboard.communityNameHint')} name="communityName" value={name()} problem={problemText(nameProblem())} onInput={setName} />
          <Button type="submit" data-testid="create-community">
            {t('onboard.createButton')}
          </Button>
        </form>
      </Card>
    </div>
  )
}

/** First run: who you are, then which community. */
export function Onboarding(props: { invite: Invite | null; onDone: () => void }) {
  const app = useApp()
  const [name, setName] = createSignal(app.device.displayName)
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  // The name is asked first; joining or creating checks it before going on.
  const nameIsFine = () => {
    const check = checkDisplayName(name())
    if (!check.ok) {
      setProblem(check.problems.displayName)
      document.querySelector<HTMLInputElement>('input[name=displayName]')?.focus()
      return false
    }
    setProblem(undefined)
    app.setDisplayName(check.value)
    return true
  }
  return (
    <div class="min-h-dvh bg-amber-50 px-3 py-6">
      <div class="mx-auto max-w-xl space-y-4">
        <header>
          <h1 class="text-3xl font-bold text-orange-900">{t('onboard.welcome')}</h1>
          <p class="mt-2 text-stone-900">{t('onboard.intro')}</p>
        </header>
        <Card>
          <Field label={t('onboard.yourName')} hint={t('onboard.yourNameHint')} name="displayName" autocomplete="nickname" value={name()} problem={problemText(problem())} onInput={setName} />
        </Card>
        <JoinOrCreate invite={props.invite} beforeJoin={nameIsFine} onDone={props.onDone} />
      </div>
    </div>
  )
}
