// `npm start`: serve the built app and the signaling server, and say where to open it.
// HTTPS=1 serves phones over https with this computer's own certificate authority
// (scripts/certs.mjs), plus a plain-http page that tells a phone how to trust it.
import { hostname } from 'node:os'
import { dataDir, isPrivateAddress, localAuthority, serverCertificate } from './certs.mjs'
import { lanAddresses, startMessage } from './lan.mjs'
import { startApp, startSignaling, startTrustPage } from './servers.mjs'

const https = ['1', 'true', 'yes'].includes(String(process.env.HTTPS ?? '').toLowerCase())
const port = Number(process.env.PORT ?? 8080)
const httpsPort = Number(process.env.HTTPS_PORT ?? 8443)
const signalingPort = Number(process.env.SIGNALING_PORT ?? 4444)
const addresses = lanAddresses()

const running = []
const stop = async () => {
  await Promise.allSettled(running.map((server) => server.stop()))
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
// Whatever a request from the Wi-Fi does, the office computer keeps serving.
process.on('uncaughtException', (error) => console.error('error (still serving):', error instanceof Error ? error.message : error))
process.on('unhandledRejection', (error) => console.error('error (still serving):', error instanceof Error ? error.message : error))

try {
  if (https) {
    const authority = localAuthority()
    // (Only names the authority may vouch for: a LAN address outside the private ranges would void the certificate.)
    const tls = serverCertificate(authority, ['localhost', hostname(), '127.0.0.1', ...addresses.filter(isPrivateAddress)])
    running.push(await startSignaling(signalingPort, { tls }))
    running.push(await startApp(httpsPort, true, { https: tls }))
    const appUrl = `https://${addresses[0] ?? 'localhost'}:${httpsPort}/`
    running.push(await startTrustPage(port, { appUrl, authority }))
    console.log(startMessage({ scheme: 'https', appPort: httpsPort, signalingPort, addresses, trustPort: port, fingerprint: authority.fingerprint }))
    console.log(`证书机构保存在 The certificate authority is kept in: ${dataDir()}`)
  } else {
    running.push(await startSignaling(signalingPort))
    running.push(await startApp(port, true))
    console.log(startMessage({ scheme: 'http', appPort: port, signalingPort, addresses }))
  }
} catch (error) {
  console.error(error.code === 'EADDRINUSE' ? `端口已被占用 A port is in use: ${error.message}. PORT=… HTTPS_PORT=… SIGNALING_PORT=… npm start picks others.` : error)
  await Promise.allSettled(running.map((server) => server.stop()))
  process.exit(1)
}
