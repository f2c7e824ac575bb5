import { createSignal, For, Show } from 'solid-js'
import { mayGrant, mayRemove } from '../../domain/trust'
import { stampDay } from '../../domain/hlc'
import { Button, Card, Confirm } from '../common/components'
import { useCommunity } from '../common/community'
import { t } from '../common/i18n'

type Checked = Extract<ReturnType<ReturnType<typeof useCommunity>['trust']>, { checked: true }>

/**
 * Devices with a role, and those that wrote their own record but were never confirmed
 * (a spent staff link, say): staff may remove those too. Staff-level roles first.
 */
function deviceRows(state: Checked) {
  const keys = new Set([...state.verdict.roles.keys(), ...[...state.verdict.devices.keys()].filter((key) => !state.verdict.revoked.has(key))])
  return [...keys]
    .map((key) => {
      const role = state.verdict.roles.get(key)
      const may = key !== state.me && mayRemove(state.mine!, role ?? null)
      const label = state.verdict.devices.get(key)?.label || t('hub.unnamed')
      return { key, role: role ?? ('none' as const), label, me: key === state.me, may, mayFound: state.mine === 'founder' && role === 'staff' }
    })
    .sort((a, b) => a.role.localeCompare(b.role) || a.label.localeCompare(b.label, 'zh-CN'))
}

/** Links not yet used up: a staff link that nobody has used is silent, lasting access until withdrawn. */
function openLinks(state: Checked) {
  if (!mayRemove(state.mine!, null)) return []
  return state.verdict.openInvitations.map((link) => ({
    ...link,
    label: t(link.uses === 'once' ? 'devices.linkOnce' : 'devices.linkMany', { role: t(`devices.role.${link.role}`), day: stampDay(link.stamp), by: state.verdict.devices.get(link.by)?.label || t('hub.unnamed') }),
  }))
}

/**
 * Me → devices (staff, in a community with a founder key): every device the signed
 * records give a role, and removing one, such as a lost staff phone. Removing a phone
 * that held the staff space makes a new one, sealed to the staff phones that remain.
 */
export function Devices() {
  const { trust, removeDevice, withdrawInvitation, makeFounder } = useCommunity()
  const [removing, setRemoving] = createSignal<{ key: string; label: string } | null>(null)
  const [withdrawing, setWithdrawing] = createSignal<{ key: string; label: string } | null>(null)
  const [said, setSaid] = createSignal('')
  const checked = () => {
    const state = trust()
    return state.checked && state.mine && mayGrant(state.mine, 'resident') && state.mine !== 'resident' ? state : null
  }
  const rows = () => {
    const state = checked()
    return state ? deviceRows(state) : []
  }
  const links = () => {
    const state = checked()
    return state ? openLinks(state) : []
  }
  return (
    <Show when={checked()}>
      <Card title={t('devices.title')}>
        <p class="mb-3">{t('devices.hint')}</p>
        <ul class="divide-y divide-stone-200" data-testid="devices">
          <For each={rows()}>
            {(row) => (
              <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="device-row" data-label={row.label} data-role={row.role}>
                <span class="min-w-0 break-words">
                  <span class="font-semibold">{row.label}</span> · {t(`devices.role.${row.role}`)}
                  {row.me ? ` · ${t('devices.this')}` : ''}
                  <span class="block text-[0.8em] text-stone-600">{row.key.slice(0, 8)}</span>
                </span>
                <span class="flex flex-wrap gap-2">
                  <Show when={row.mayFound}>
                    <Button variant="secondary" data-testid="make-founder" onClick={() => void makeFounder(row.key).then((done) => setSaid(done ? t('devices.madeFounder', { name: row.label }) : t('devices.notAllowed')))}>
                      {t('devices.makeFounder')}
                    </Button>
                  </Show>
                  <Show when={row.may}>
                    <Button variant="danger" data-testid="remove-device" onClick={() => setRemoving({ key: row.key, label: row.label })}>
                      {t('devices.remove')}
                    </Button>
                  </Show>
                </span>
              </li>
            )}
          </For>
        </ul>
        <Show when={links().length > 0}>
          <h3 class="mt-4 font-bold">{t('devices.links')}</h3>
          <ul class="divide-y divide-stone-200" data-testid="invitation-links">
            <For each={links()}>
              {(link) => (
                <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="invitation-link" data-role={link.role} data-uses={link.uses}>
                  <span class="min-w-0 break-words">
                    {link.label}
                    <span class="block text-[0.8em] text-stone-600">{t('devices.linkUsed', { count: link.accepted })}</span>
                  </span>
                  <Button variant="danger" data-testid="withdraw-link" onClick={() => setWithdrawing({ key: link.key, label: link.label })}>
                    {t('devices.withdrawLink')}
                  </Button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={said()}>
          <p role="status" class="mt-2 font-semibold text-green-800" data-testid="device-removed">{said()}</p>
        </Show>
      </Card>
      <Show when={withdrawing()}>
        {(target) => (
          <Confirm
            message={t('devices.withdrawConfirm', { link: target().label })}
            confirmLabel={t('devices.withdrawLink')}
            onCancel={() => setWithdrawing(null)}
            onConfirm={() => {
              const { key } = target()
              setWithdrawing(null)
              void withdrawInvitation(key).then((done) => setSaid(done ? t('devices.linkWithdrawn') : t('devices.notAllowed')))
            }}
          />
        )}
      </Show>
      <Show when={removing()}>
        {(target) => (
          <Confirm
            message={t('devices.removeConfirm', { name: target().label })}
            confirmLabel={t('devices.remove')}
            onCancel={() => setRemoving(null)}
            onConfirm={() => {
              const { key, label } = target()
              setRemoving(null)
              void removeDevice(key).then((done) => setSaid(done ? t('devices.removed', { name: label }) : t('devices.notAllowed')))
            }}
          />
        )}
      </Show>
    </Show>
  )
}
