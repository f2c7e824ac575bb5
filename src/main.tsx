import { render } from 'solid-js/web'
import { App } from './ui/App'
import { listenForInstallOffer } from './ui/common/install'
import { startAfreshOnANewDay } from './ui/common/new-day'
import { loadDevice } from './sync/device'
import { lastLanguage, setLanguage, t } from './ui/common/i18n'
import './styles.css'

listenForInstallOffer()
startAfreshOnANewDay()
const root = document.getElementById('root')!
// The settings say which language's words to load before anything is drawn; the last
// language used is fetched meanwhile (a second ask for the same words costs nothing).
void setLanguage(lastLanguage()).catch(() => undefined)
const browserLanguage = () => (navigator.language.startsWith('zh') ? 'zh-CN' : 'en')
// Should the words themselves not load (a broken install), say so in both languages.
const noWords = () => (root.textContent = '邻里无法加载界面文字，请刷新页面。 Neighbours could not load its words: please reload the page.')
loadDevice().then(
  (device) =>
    setLanguage(device.language).then(() => {
      render(() => <App device={device} />, root)
    }, noWords),
  // Without IndexedDB (some private windows) nothing could be kept: say so plainly,
  // in the browser's language, as there are no settings to say which.
  () =>
    setLanguage(browserLanguage()).then(() => {
      root.textContent = t('app.noStorage')
    }, noWords),
)
