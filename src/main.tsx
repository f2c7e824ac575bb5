import { render } from 'solid-js/web'
import { App } from './ui/App'
import { listenForInstallOffer } from './ui/common/install'
import { loadDevice } from './sync/device'
import './styles.css'

listenForInstallOffer()
const root = document.getElementById('root')!
loadDevice().then(
  (device) => render(() => <App device={device} />, root),
  // Without IndexedDB (some private windows) nothing could be kept: say so plainly.
  () => (root.textContent = '这个浏览器不能保存数据（可能是无痕模式），请换用普通窗口。 This browser cannot store data here (a private window?); please open Neighbours in a normal window.'),
)
