import { render } from 'solid-js/web'
import { App } from './ui/App'
import './styles.css'

render(() => <App />, document.getElementById('root')!)
