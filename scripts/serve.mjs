// `npm start`: serve the built app and the signaling server, and say where to open it.
import { startApp, startSignaling } from './servers.mjs'

const appPort = Number(process.env.PORT ?? 8080)
const signalingPort = Number(process.env.SIGNALING_PORT ?? 4444)

const signaling = await startSignaling(signalingPort)
const app = await startApp(appPort, true)

console.log('\n邻里 Neighbours is running.')
console.log('Open the app on this computer or on a phone on the same network:')
app.server.printUrls()
console.log(`Signaling server (y-webrtc): port ${signaling.port} on every address above (ws://…:${signaling.port})`)
console.log('Phones on the network need https for encrypted sync; see README "Other devices".')
console.log('Press Ctrl+C to stop.\n')

const stop = async () => {
  await Promise.allSettled([app.stop(), signaling.stop()])
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
