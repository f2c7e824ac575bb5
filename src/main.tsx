import { listenForInstallOffer } from './ui/common/install'
import { startAfreshOnANewDay } from './ui/common/new-day'
import { showGlance } from './ui/today/glance'
import './styles.css'

// The first screen comes in two steps: Today drawn at once from its glance (what it
// showed last, ui/today/glance.tsx), then the live app (live.tsx, with Yjs, the store
// and sync), which loads meanwhile and takes over once the community has loaded.
listenForInstallOffer()
startAfreshOnANewDay()
const root = document.getElementById('root')!
const glance = showGlance(root)
void import('./live').then((live) => live.start(root, glance))
