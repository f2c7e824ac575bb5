// What `npm start` tells a person: the addresses to open (this computer and each
// LAN address), a QR code a phone can scan, and in https mode the trust page that
// walks a phone through trusting this computer's certificate authority.
import { networkInterfaces } from 'node:os'
import { renderSVG, renderUnicodeCompact } from 'uqr'

/** This computer's IPv4 addresses on its networks (not loopback), as phones would type them. */
export function lanAddresses(interfaces = networkInterfaces()) {
  const found = []
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      const v4 = entry.family === 'IPv4' || entry.family === 4
      if (v4 && !entry.internal && !entry.address.startsWith('169.254.')) found.push(entry.address)
    }
  }
  return [...new Set(found)]
}

/** The lines `npm start` prints. `trustPort` is set in https mode, where phones first visit the trust page. */
export function startMessage({ scheme, appPort, signalingPort, addresses, trustPort, fingerprint }) {
  const url = (host, port, s = scheme) => `${s}://${host}:${port}/`
  const lines = ['', '邻里 Neighbours 已启动 is running.', '', `本机打开 On this computer:      ${url('localhost', appPort)}`]
  for (const address of addresses) lines.push(`同一网络的手机 Phones on the LAN: ${url(address, appPort)}`)
  lines.push(`信令服务器 Signaling server:     ${scheme === 'https' ? 'wss' : 'ws'}://…:${signalingPort} (every address above)`)
  const first = addresses[0]
  if (!first) {
    lines.push('', '这台电脑没有连上局域网，手机暂时打不开。 No LAN address: phones cannot reach this computer yet.')
  } else if (trustPort) {
    const trust = url(first, trustPort, 'http')
    lines.push(
      '',
      `每部手机第一次先扫码，按页面说明信任本机证书，再打开应用: ${trust}`,
      `Each phone first scans this, trusts this computer's certificate as the page says, then opens the app:`,
      '',
      renderUnicodeCompact(trust, { border: 1 }),
      `证书指纹 Certificate fingerprint: SHA-256 ${fingerprint}`,
    )
  } else {
    lines.push(
      '',
      '手机扫码打开 Scan with a phone:',
      '',
      renderUnicodeCompact(url(first, appPort), { border: 1 }),
      '',
      '注意：手机经 http 打开时只能在本机保存，不能同步。要同步，请用 HTTPS=1 npm start。',
      'Over plain http a phone saves on itself but cannot sync; HTTPS=1 npm start serves phones over https.',
    )
  }
  lines.push('', '按 Ctrl+C 停止 Press Ctrl+C to stop.', '')
  return lines.join('\n')
}

const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])

/** The plain-http page that tells a phone, in Chinese and English, how to trust the authority, then where the app is. */
export function trustPage({ appUrl, fingerprint }) {
  const qr = renderSVG(appUrl, { border: 2 })
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>邻里 Neighbours · 信任本机证书 Trust this computer</title>
<style>
  body { font: 18px/1.6 system-ui, sans-serif; margin: 0 auto; max-width: 40rem; padding: 1rem; color: #1c1917; background: #fffbeb; }
  h1 { font-size: 1.5rem; color: #7c2d12; } h2 { font-size: 1.2rem; margin-top: 1.5rem; }
  .en { color: #44403c; } .button { display: inline-block; padding: .75rem 1.25rem; border-radius: .75rem; background: #9a3412; color: #fff; font-weight: 700; text-decoration: none; }
  .qr { width: 14rem; height: 14rem; background: #fff; } code { word-break: break-all; font-size: .85rem; }
</style>
</head>
<body>
<h1>让这部手机信任本机 <span class="en">Let this phone trust this computer</span></h1>
<p>邻里在手机上同步和离线使用需要 https。这台电脑有自己的证书机构；每部手机只需信任它一次。
<span class="en">Sync and offline use need https. This computer has its own certificate authority; each phone trusts it once.</span></p>

<h2>1. 下载证书 <span class="en">Download the certificate</span></h2>
<p><a class="button" href="/neighbours-ca.crt" download="neighbours-ca.crt">下载 Download neighbours-ca.crt</a></p>

<h2>2. 安卓手机 <span class="en">Android</span></h2>
<p>打开 设置 → 安全 → 更多安全设置 → 加密与凭据 → 安装证书 → CA 证书，选择刚下载的 neighbours-ca.crt。（各品牌菜单名称略有不同，可在设置里搜索“证书”。）
<span class="en">Settings → Security → More security settings → Encryption &amp; credentials → Install a certificate → CA certificate, then pick neighbours-ca.crt. (Names differ by brand: search Settings for "certificate".)</span></p>

<h2>2. 苹果手机 <span class="en">iPhone</span></h2>
<p>必须用 Safari 打开本页并下载。然后打开 设置 → 已下载描述文件 → 安装；再到 设置 → 通用 → 关于本机 → 证书信任设置，打开 “Neighbours local authority”。
<span class="en">Open this page in Safari and download. Then Settings → Profile Downloaded → Install; then Settings → General → About → Certificate Trust Settings, and turn on "Neighbours local authority".</span></p>

<h2>3. 打开邻里 <span class="en">Open Neighbours</span></h2>
<p><a class="button" href="${escape(appUrl)}">${escape(appUrl)}</a></p>
<p>打开后可在“我的”里添加到主屏幕。<span class="en">Once open, add it to the home screen from Me.</span></p>
<div class="qr">${qr}</div>

<h2>核对 <span class="en">Check</span></h2>
<p>只在本页来自社区自己的电脑时才信任。证书指纹（与电脑屏幕上显示的一致）：
<span class="en">Trust it only if this page came from your community's own computer. The fingerprint, as the computer shows it:</span><br>
<code>SHA-256 ${escape(fingerprint)}</code></p>
<p>在手机的证书详情里找到 SHA-256 指纹，逐组与电脑屏幕上的核对，全部一致才安装。此证书只能为本机的名字和局域网地址担保，有效期约两年半；不再使用时，在手机的“设置 → 安全 → 加密与凭据 → 用户凭据”（安卓）或“设置 → 通用 → VPN与设备管理”（iPhone）中删除。
<span class="en">In the phone's certificate details, find the SHA-256 fingerprint and compare it group by group with the one on the computer's screen; install only if every group matches. This certificate can vouch only for this computer's names and local network addresses, for about two and a half years; to remove it, use Settings → Security → Encryption &amp; credentials → User credentials (Android) or Settings → General → VPN &amp; Device Management (iPhone).</span></p>
</body>
</html>
`
}
