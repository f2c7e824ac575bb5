import { render } from 'solid-js/web'
import { App } from './ui/App'
import { listenForInstallOffer } from './ui/common/install'
import { loadDevice } from './sync/device'
import { setLanguage, t } from './ui/common/i18n'
import './styles.css'

listenForInstallOffer()
const root = document.getElementById('root')!
loadDevice().then(
  (device) => render(() => <App device={device} />, root),
  // Without IndexedDB (some private windows) nothing could be kept: say so plainly,
  // in the browser's language, as there are no settings to say which.
  () => {
    setLanguage(navigator.language.startsWith('zh') ? 'zh-CN' : 'en')
    root.textContent = t('app.noStorage')
  },
)
