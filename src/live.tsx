import { render } from 'solid-js/web'
import { App } from './ui/app/App'
import { loadDevice } from './sync/device'
import { loadDeviceKeys } from './trust/keys'
import { personOfKey } from './domain/trust'
import { newId } from './domain/ids'
import { lastLanguage, setLanguage, t } from './ui/common/i18n'
import { dropGlance, type Glance } from './ui/today/glance'

/** Loads this device's settings and draws the app into `root` (hidden while a glance shows). */
export function start(root: HTMLElement, glance: Glance | null): void {
  // The settings say which language's words to load before anything is drawn; the last
  // language used is fetched meanwhile (a second ask for the same words costs nothing).
  void setLanguage(lastLanguage()).catch(() => undefined)
  const browserLanguage = () => (navigator.language.startsWith('zh') ? 'zh-CN' : 'en')
  const say = (text: string) => {
    dropGlance()
    root.textContent = text
  }
  // Should the words themselves not load (a broken install), say so in both languages.
  const noWords = () => say('邻里无法加载界面文字，请刷新页面。 Neighbours could not load its words: please reload the page.')
  // A new device writes as the person its key names (domain/trust.ts personOfKey), a claim no other key can make.
  loadDevice(() => loadDeviceKeys().then((keys) => (keys ? personOfKey(keys.publicKey) : newId()))).then(
    (device) => {
      // A glance of another community, or in another language, is not this start's Today.
      if (glance && (glance.community !== device.activeCommunityId || glance.language !== device.language || glance.largeText !== device.largeText)) dropGlance()
      return setLanguage(device.language).then(() => {
        render(() => <App device={device} />, root)
      }, noWords)
    },
    // Without IndexedDB (some private windows) nothing could be kept: say so plainly,
    // in the browser's language, as there are no settings to say which.
    () => setLanguage(browserLanguage()).then(() => say(t('app.noStorage')), noWords),
  )
}
