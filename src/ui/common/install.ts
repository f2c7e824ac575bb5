import { createSignal } from 'solid-js'

// "Add to home screen": Chrome and Android offer it through `beforeinstallprompt`
// once the app qualifies (https, a manifest, a service worker), often before Me is
// open, so the offer is caught at start and kept here. iPhones have no such event:
// there it is Share → Add to Home Screen, which Me explains instead.

interface InstallOffer extends Event {
  prompt(): Promise<void>
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

const standalone = () => matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true
const [offer, setOffer] = createSignal<InstallOffer | null>(null)
const [installed, setInstalled] = createSignal(standalone())

export function listenForInstallOffer(): void {
  addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault() // the browser's own mini-bar would pop up unasked
    setOffer(event as InstallOffer)
  })
  addEventListener('appinstalled', () => {
    setOffer(null)
    setInstalled(true)
  })
}

export const installOffered = () => offer() !== null
export const isInstalled = installed
export const isIPhone = () => /iPhone|iPad|iPod/.test(navigator.userAgent)

/** Shows the browser's own install question; the offer is spent either way. */
export async function install(): Promise<void> {
  const event = offer()
  if (!event) return
  setOffer(null)
  await event.prompt()
  if ((await event.userChoice).outcome === 'accepted') setInstalled(true)
}
