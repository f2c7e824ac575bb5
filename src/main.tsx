import { render } from 'solid-js/web'
import { App } from './ui/App'
import { listenForInstallOffer } from './ui/common/install'
import { loadDevice } from './sync/device'
import { lastLanguage, setLanguage, t } from './ui/common/i18n'
import './styles.css'

listenForInstallOffer()
const root = document.getElementById('root')!
// The settings say which language's words to load before anything is drawn; the last
// language used is fetched meanwhile (a second ask for the same words costs nothing).
void setLanguage(lastLanguage())
loadDevice().then(
  async (device) => {
    await setLanguage(device.language)
    render(() => <App device={device} />, root)
  },
  // Without IndexedDB (some private windows) nothing could be kept: say so plainly,
  // in the browser's language, as there are no settings to say which.
  async () => {
    await setLanguage(navigator.language.startsWith('zh') ? 'zh-CN' : 'en')
    root.textContent = t('app.noStorage')
  },
)
