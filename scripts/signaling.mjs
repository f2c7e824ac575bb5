// `npm run signaling`: the signaling server alone, for a community whose app sits on
// a static host (README, "Deploying it"). PORT (default 4444); put a TLS proxy in
// front so pages reach it as wss://.
import { startSignaling } from './servers.mjs'

const port = Number(process.env.PORT ?? 4444)
const signaling = await startSignaling(port)
console.log(`信令服务器 Signaling server: ws://…:${port} on every address of this computer. Ctrl+C stops it.`)
const stop = async () => {
  await signaling.stop()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
