import { render } from 'solid-js/web'
import { App } from './ui/App'
import { listenForInstallOffer } from './ui/common/install'
import './styles.css'

listenForInstallOffer()
render(() => <App />, document.getElementById('root')!)
