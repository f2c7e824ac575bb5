import { createMemo, createResource, createSignal, For, Show } from 'solid-js'
import { renderSVG } from 'uqr'
import { checkDisplayName, type Role } from '../../domain/community'
import { LANGUAGES, parseSignalingList } from '../../sync/device'
import { inviteLink, type InviteKind } from '../../sync/invite'
import { Button, Card, Confirm, Field, SaveRow } from '../common/components'
import { useApp, useCommunity, type SpaceReport } from '../common/community'
import { problemText, t } from '../common/i18n'
import { install, installOffered, isInstalled, isIPhone } from '../common/install'
import { download } from '../common/download'
import { byteSize, now, timeAgo } from '../common/time'
import { JoinOrCreate } from '../onboarding/Onboarding'
import { Hub } from './Hub'
import { Devices } from './Devices'
import { MyHours } from '../shifts/MyHours'
import { CommunityMonthCard } from './MonthPage'
import type { ProblemKey } from '../../domain/validation'

export default function Me() {
  return (
    <div class="space-y-4">
      <Profile />
      <MyHours />
      <CommunityMonthCard />
      <Invites />
      <Install />
      <Communities />
      <FileExchange />
      <Devices />
      <Hub />
      <Settings />
      <SyncDetails />
      <Diagnostics />
    </div>
  )
}

function Profile() {
  const app = useApp()
  const { trust } = useCommunity()
  // Why nothing is checked, 'none' (not yet confirmed) or the role.
  const trustMark = () => {
    const state = trust()
    return state.checked ? (state.mine ?? 'none') : state.why
  }
  const trustText = () => {
    const mark = trustMark()
    if (mark === 'noFounder') return t('trust.unchecked')
    if (mark === 'noCrypto') return t('trust.noCrypto')
    return mark === 'none' ? t('trust.waiting') : t('trust.confirmed', { role: t(`trust.role.${mark}`) })
  }
  const [name, setName] = createSignal(app.device.displayName)
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [saved, setSaved] = createSignal(false)
  const roles = (): Role[] => (app.active()?.role === 'staff' ? ['staff'] : ['resident', 'volunteer'])
  const save = (event: Event) => {
    event.preventDefault()
    const check = checkDisplayName(name())
    if (!check.ok) return setProblem(check.problems.displayName)
    setProblem(undefined)
    app.setDisplayName(check.value)
    setSaved(true)
  }
  return (
    <Card title={t('me.profile')}>
      <form onSubmit={save}>
        <Field label={t('me.displayName')} name="displayName" value={name()} problem={problemText(problem())} onInput={(v) => { setName(v); setSaved(false) }} />
        <SaveRow saved={saved()} />
      </form>
      <p class="mt-3" data-testid="trust-role" data-role={trustMark()}>{trustText()}</p>
      <fieldset class="mt-4">
        <legend class="font-semibold">{t('me.role')}</legend>
        <div class="mt-2 flex flex-wrap gap-2">
          <For each={roles()}>
            {(role) => (
              <Button
                data-testid={`role-${role}`}
                variant={app.active()?.role === role ? 'primary' : 'secondary'}
                aria-pressed={app.active()?.role === role}
                onClick={() => app.setRole(role)}
              >
                {t(`role.${role}`)}
              </Button>
            )}
          </For>
        </div>
      </fieldset>
    </Card>
  )
}

function Invites() {
  const app = useApp()
  const community = useCommunity()
  const [kind, setKind] = createSignal<InviteKind | null>(null)
  const [copied, setCopied] = createSignal(false)
  // Each press makes a new link: a staff link admits one device.
  const [link, setLink] = createSignal('')
  const show = async (k: InviteKind) => {
    setKind(k)
    setCopied(false)
    setLink('')
    const invite = await app.invite(k)
    if (invite && kind() === k) setLink(inviteLink(location.href, invite))
  }
  const copy = async () => {
    await navigator.clipboard?.writeText(link()).catch(() => undefined)
    setCopied(true)
  }
  return (
    <Card title={t('me.invite')}>
      <div class="flex flex-wrap gap-2">
        <Button data-testid="invite-resident" variant={kind() === 'resident' ? 'primary' : 'secondary'} onClick={() => void show('resident')}>
          {t('me.inviteResident')}
        </Button>
        <Show when={community.staff}>
          <Button data-testid="invite-staff" variant={kind() === 'staff' ? 'primary' : 'secondary'} onClick={() => void show('staff')}>
            {t('me.inviteStaff')}
          </Button>
        </Show>
      </div>
      <Show when={link()}>
        <p class="mt-3 font-semibold">{kind() === 'staff' ? t('me.inviteStaffHint') : t('me.inviteResidentHint')}</p>
        <p class="mt-2">{t('me.inviteQr')}</p>
        {/* uqr draws the QR code as SVG from the link text; no network involved. */}
        <div class="mx-auto my-3 w-64 max-w-full" data-testid="invite-qr" innerHTML={renderSVG(link(), { border: 2 })} />
        <input readonly class="block w-full rounded-xl border-2 border-stone-600 px-3 py-2 text-[0.8em]" value={link()} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
        <Button class="mt-2" variant="secondary" onClick={() => void copy()}>
          {copied() ? t('common.copied') : t('common.copy')}
        </Button>
      </Show>
    </Card>
  )
}

function Communities() {
  const app = useApp()
  const [leaving, setLeaving] = createSignal<string | null>(null)
  const [adding, setAdding] = createSignal(false)
  const leavingName = () => app.device.communities.find((c) => c.id === leaving())?.name ?? ''
  return (
    <Card title={t('me.communities')}>
      <ul class="space-y-3">
        <For each={app.device.communities}>
          {(community) => (
            <li class="rounded-xl border border-stone-300 p-3" data-testid="community-row">
              <div class="font-bold">{community.name}</div>
              <div class="text-[0.85em] text-stone-700">{t(`role.${community.role}`)}</div>
              <div class="mt-2 flex flex-wrap gap-2">
                <Show when={app.device.activeCommunityId !== community.id} fallback={<span class="self-center font-semibold text-green-800">{t('me.current')}</span>}>
                  <Button variant="secondary" onClick={() => app.switchTo(community.id)}>
                    {t('me.switchTo')}
                  </Button>
                </Show>
                <Button variant="danger" data-testid="leave-community" onClick={() => setLeaving(community.id)}>
                  {t('me.leave')}
                </Button>
              </div>
            </li>
          )}
        </For>
      </ul>
      <Show when={adding()} fallback={<Button class="mt-3" variant="secondary" onClick={() => setAdding(true)}>{t('me.joinAnother')} / {t('me.createAnother')}</Button>}>
        <div class="mt-4">
          <JoinOrCreate onDone={() => setAdding(false)} />
        </div>
      </Show>
      <Show when={leaving()}>
        {(id) => (
          <Confirm
            message={t('me.leaveConfirm', { name: leavingName() })}
            confirmLabel={t('me.leave')}
            onCancel={() => setLeaving(null)}
            onConfirm={() => {
              void app.leave(id())
              setLeaving(null)
            }}
          />
        )}
      </Show>
    </Card>
  )
}

function Settings() {
  const app = useApp()
  const [servers, setServers] = createSignal((app.device.signaling ?? []).join('\n'))
  // A sentence naming the lines that are not addresses, not just a key.
  const [problem, setProblem] = createSignal<string | undefined>()
  const [saved, setSaved] = createSignal(false)
  const saveServers = (event: Event) => {
    event.preventDefault()
    const { urls, invalid } = parseSignalingList(servers())
    if (invalid.length > 0) return setProblem(t('problem.badSignaling', { list: invalid.join(', ') }))
    setProblem(undefined)
    app.setSignaling(urls.length > 0 ? urls : null)
    setSaved(true)
  }
  return (
    <Card title={t('me.settings')}>
      <fieldset class="mb-4">
        <legend class="font-semibold">{t('me.language')}</legend>
        <div class="mt-2 flex gap-2">
          <For each={LANGUAGES}>
            {(language) => (
              <Button
                data-testid={`language-${language}`}
                variant={app.device.language === language ? 'primary' : 'secondary'}
                aria-pressed={app.device.language === language}
                onClick={() => app.setLanguage(language)}
              >
                {language === 'zh-CN' ? '中文' : 'English'}
              </Button>
            )}
          </For>
        </div>
      </fieldset>
      <label class="mb-4 flex min-h-12 items-center gap-3">
        <input type="checkbox" class="h-7 w-7" data-testid="large-text" checked={app.device.largeText} onChange={(e) => app.setLargeText(e.currentTarget.checked)} />
        <span>
          <span class="block font-semibold">{t('me.largeText')}</span>
          <span class="text-[0.85em] text-stone-700">{t('me.largeTextHint')}</span>
        </span>
      </label>
      <form onSubmit={saveServers}>
        <Field label={t('me.signaling')} hint={t('me.signalingHint')} name="signaling" multiline value={servers()} problem={problem()} onInput={(v) => { setServers(v); setSaved(false) }} />
        <SaveRow saved={saved()} />
      </form>
    </Card>
  )
}

function SpaceStatus(props: { space: SpaceReport }) {
  const status = () => props.space.status()
  return (
    <div class="rounded-xl border border-stone-300 p-3" data-testid={`space-status-${props.space.kind}`}>
      <div class="font-bold">{t(`me.space.${props.space.kind}`)}</div>
      <Show when={props.space.syncProblem} fallback={
        <>
          <div>{status().peers > 0 ? t('sync.peers', { count: status().peers }) : t('sync.lookingForPeers')}</div>
          <div>{t('me.signalingStatus', { connected: status().signalingConnected, total: status().signalingServers })}</div>
          <div>{status().lastReceivedAt ? t('sync.lastExchange', { when: timeAgo(status().lastReceivedAt!, now()) }) : t('sync.never')}</div>
          <div class={status().unshared ? 'font-semibold text-amber-800' : ''}>{status().unshared ? t('sync.unshared') : t('sync.allShared')}</div>
        </>
      }>
        <p class="font-semibold text-red-800">{problemText(props.space.syncProblem ?? undefined)}</p>
      </Show>
    </div>
  )
}

function SyncDetails() {
  const { sync } = useCommunity()
  return (
    <Card title={t('me.sync')}>
      <div class="space-y-2">
        <For each={sync.spaces}>{(space) => <SpaceStatus space={space} />}</For>
      </div>
    </Card>
  )
}

/**
 * For devices that never meet: this community's data as an encrypted file, passed on
 * by hand (a chat, a USB stick) and loaded on the other device, where it merges.
 */
function FileExchange() {
  const community = useCommunity()
  const [busy, setBusy] = createSignal(false)
  const [said, setSaid] = createSignal<{ text: string; problem: boolean } | null>(null)
  const run = async (work: () => Promise<{ text: string; problem: boolean }>) => {
    setBusy(true)
    setSaid(null)
    try {
      setSaid(await work())
    } catch {
      setSaid({ text: t('file.failed'), problem: true })
    } finally {
      setBusy(false)
    }
  }
  const save = () =>
    run(async () => {
      const file = new File([await community.sync.saveFile()], `neighbours-${community.name}-${new Date().toISOString().slice(0, 10)}.neighbours`, { type: 'application/octet-stream' })
      // On phones, the share sheet (chat apps, nearby sharing); elsewhere a download.
      if (navigator.canShare?.({ files: [file] })) {
        await navigator.share({ files: [file], title: community.name }).catch((error: DOMException) => {
          if (error.name !== 'AbortError') throw error
        })
      } else download(file.name, file)
      return { text: t('file.saved'), problem: false }
    })
  const load = (file: File) =>
    run(async () => {
      const result = await community.sync.loadFile(new Uint8Array(await file.arrayBuffer()))
      if (!result.ok) return { text: t(result.problem, { name: result.community ?? '' }), problem: true }
      return { text: result.changed > 0 ? t('file.loaded', { count: result.changed }) : t('file.nothingNew'), problem: false }
    })
  return (
    <Card title={t('file.title')}>
      <p class="mb-3">{t('file.hint')}</p>
      <Show when={!community.sync.spaces[0]!.syncProblem} fallback={<p class="font-semibold">{problemText(community.sync.spaces[0]!.syncProblem ?? undefined)}</p>}>
        <div class="flex flex-wrap gap-3">
          <Button data-testid="file-save" disabled={busy()} onClick={() => void save()}>
            {t('file.save')}
          </Button>
          <label class="inline-flex min-h-12 cursor-pointer items-center rounded-xl border-2 border-stone-700 bg-white px-5 py-2 font-semibold text-stone-900 hover:bg-stone-100 focus-within:outline-4 focus-within:outline-offset-2 focus-within:outline-blue-700">
            {t('file.load')}
            <input type="file" class="sr-only" data-testid="file-load" disabled={busy()} onChange={(e) => {
              const file = e.currentTarget.files?.[0]
              e.currentTarget.value = '' // the same file may be chosen again
              if (file) void load(file)
            }} />
          </label>
        </div>
      </Show>
      <Show when={said()}>
        {(s) => (
          <p role={s().problem ? 'alert' : 'status'} data-testid="file-said" class={`mt-3 font-semibold ${s().problem ? 'text-red-800' : 'text-green-800'}`}>
            {s().text}
          </p>
        )}
      </Show>
    </Card>
  )
}

/** Add to home screen: the browser's own offer where it makes one, else how to do it by hand. */
function Install() {
  return (
    <Card title={t('me.install')}>
      <Show when={!isInstalled()} fallback={<p data-testid="installed">{t('me.installed')}</p>}>
        <p class="mb-3">{t('me.installHint')}</p>
        <Show when={installOffered()} fallback={<p class="font-semibold">{isIPhone() ? t('me.installIPhone') : t('me.installMenu')}</p>}>
          <Button data-testid="install-app" onClick={() => void install()}>
            {t('me.install')}
          </Button>
        </Show>
      </Show>
    </Card>
  )
}

function Diagnostics() {
  const app = useApp()
  const { members, notices, sync, trust } = useCommunity()
  // Recomputed when the member list or the notices change, or the panel opens; cheap next to a sync.
  const size = createMemo(() => {
    members.ids()
    notices.ids()
    return sync.spaces.reduce((sum, space) => sum + space.bytes(), 0)
  })
  // Refused records, counted by the device that signed them (its name from its device record).
  const refusedByDevice = createMemo(() => {
    const state = trust()
    const counts = new Map<string, number>()
    for (const record of sync.refused()) {
      const label = !record.author
        ? t('trust.unsigned')
        : (state.checked && state.verdict.devices.get(record.author)?.label) || t('trust.unknownDevice', { key: record.author.slice(0, 8) })
      counts.set(label, (counts.get(label) ?? 0) + 1)
    }
    return [...counts]
  })
  // What the limits on peers refused (read when Me opens, like the stamps below): records
  // of a flooding device, oversize messages, updates making lists the app has not.
  const overQuota = () => sync.refused().filter((record) => record.why === 'overQuota').length
  const refusedTraffic = () => {
    const sum = { oversize: 0, unknownCollections: 0 }
    for (const space of sync.spaces) {
      const counts = space.refusedTraffic()
      sum.oversize += counts.oversize
      sum.unknownCollections += counts.unknownCollections
    }
    return sum
  }
  // Whether the browser promised to keep this device's data, and how much room is left.
  const [storage] = createResource(async () => {
    const [persisted, estimate] = await Promise.all([navigator.storage?.persisted?.() ?? false, navigator.storage?.estimate?.() ?? {}])
    return { persisted, used: estimate.usage ?? 0, left: Math.max(0, (estimate.quota ?? 0) - (estimate.usage ?? 0)) }
  })
  return (
    <Card title={t('me.diagnostics')}>
      <p data-testid="skipped-count" data-count={sync.skipped()}>{t('me.skipped', { count: sync.skipped() })}</p>
      <p class="text-[0.85em] text-stone-700">{t('me.skippedHint')}</p>
      {/* Read when Me opens: stamps are taken in as records are read, not as a signal. */}
      <Show when={sync.stampsTooFarAhead() > 0}>
        <p data-testid="far-ahead">{t('me.farAhead', { count: sync.stampsTooFarAhead() })}</p>
      </Show>
      <Show when={overQuota() > 0}>
        <p data-testid="over-quota" data-count={overQuota()}>{t('me.overQuota', { count: overQuota() })}</p>
      </Show>
      <Show when={refusedTraffic().oversize > 0}>
        <p data-testid="oversize" data-count={refusedTraffic().oversize}>{t('me.oversize', { count: refusedTraffic().oversize })}</p>
      </Show>
      <Show when={refusedTraffic().unknownCollections > 0}>
        <p data-testid="unknown-collections" data-count={refusedTraffic().unknownCollections}>{t('me.unknownCollections', { count: refusedTraffic().unknownCollections })}</p>
      </Show>
      <p>{t('me.members', { count: members.ids().length })}</p>
      <Show when={(() => { const s = trust(); return s.checked && s.refused > 0 ? s.refused : 0 })()}>
        {(count) => <p data-testid="trust-refused">{t('trust.refused', { count: count() })}</p>}
      </Show>
      <For each={refusedByDevice()}>
        {([device, count]) => <p data-testid="refused-by" data-count={count}>{t('trust.refusedBy', { device, count })}</p>}
      </For>
      <p>{t('me.docSize', { size: byteSize(size()) })}</p>
      <p class="break-all text-[0.85em] text-stone-700">{t('me.device', { id: app.device.deviceId })}</p>
      <Show when={storage()}>
        {(s) => (
          <p data-testid="storage" data-persisted={String(s().persisted)}>
            {t('me.storage', { used: byteSize(s().used), left: byteSize(s().left) })} {s().persisted ? t('me.storageKept') : t('me.storageMayGo')}
          </p>
        )}
      </Show>
      <p class="text-[0.85em] text-stone-700" data-testid="app-version">{t('me.version', { version: __APP_BUILD__ })}</p>
    </Card>
  )
}
