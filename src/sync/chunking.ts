// Chromium refuses data-channel messages larger than the channel's max-message-size
// (256 KB), and y-webrtc sends a whole sync step as one message, so a community's
// year (several MB) would never reach a new device. We hand simple-peer (inside
// y-webrtc) a peer connection whose data channels split every message into small
// frames and put them back together on the other side. The frames' first byte says
// whether more follow. Channels are ordered and reliable, so frames arrive in order.
// Sending also waits while the browser's send buffer is full, instead of letting
// Chromium close the channel. And a small keepalive frame goes out every few
// seconds: a phone that walks away or is switched off says no goodbye, and ICE can
// take a minute to notice, so a channel that hears nothing for a while is closed
// and the peer count on screen tells the truth.

import { MAX_MESSAGE_BYTES } from './limits'

export const FRAME_PAYLOAD = 64 * 1024 - 1
const MORE = 0
const LAST = 1
const KEEPALIVE = 2
const HIGH_WATER = 1024 * 1024
export const KEEPALIVE_EVERY_MS = 4_000
export const SILENCE_LIMIT_MS = 15_000

export interface ChannelTraffic {
  /** A whole message went out (all its frames were handed to the browser). */
  sent(bytes: number): void
  /** A whole message came in. */
  received(bytes: number): void
  /** A message grew past the largest taken in, and was dropped. */
  oversize?(): void
}

export function splitIntoFrames(message: Uint8Array, payload = FRAME_PAYLOAD): Uint8Array<ArrayBuffer>[] {
  const frames: Uint8Array<ArrayBuffer>[] = []
  for (let offset = 0; offset < message.length || frames.length === 0; offset += payload) {
    const part = message.subarray(offset, offset + payload)
    const frame = new Uint8Array(part.length + 1)
    frame[0] = offset + payload >= message.length ? LAST : MORE
    frame.set(part, 1)
    frames.push(frame)
  }
  return frames
}

/**
 * Collects frames; returns the whole message when its last frame arrives. A message
 * that grows past `limit` is dropped as it comes (its frames are not kept) and
 * `oversize` is told once; the frames that follow it, up to its last, are skipped.
 */
export class FrameAssembler {
  private parts: Uint8Array[] = []
  private size = 0
  private dropping = false

  constructor(
    private readonly limit = MAX_MESSAGE_BYTES,
    private readonly oversize: () => void = () => {},
  ) {}

  push(frame: Uint8Array): Uint8Array | null {
    if (frame.length === 0) return null
    if (this.dropping) {
      if (frame[0] === LAST) this.dropping = false
      return null
    }
    const part = frame.subarray(1)
    this.parts.push(part)
    this.size += part.length
    if (this.size > this.limit) {
      this.parts = []
      this.size = 0
      this.dropping = frame[0] !== LAST
      this.oversize()
      return null
    }
    if (frame[0] !== LAST) return null
    const whole = new Uint8Array(this.size)
    let at = 0
    for (const p of this.parts) {
      whole.set(p, at)
      at += p.length
    }
    this.parts = []
    this.size = 0
    return whole
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView | Blob): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  throw new Error('Blobs are not sent over this channel')
}

type Handler = ((event: any) => void) | null

/** The parts of RTCDataChannel that simple-peer uses, with framing in between. */
export class FramedDataChannel {
  private queue: Uint8Array<ArrayBuffer>[] = []
  private queuedBytes = 0
  private readonly assembler: FrameAssembler
  private messageHandler: Handler = null
  private lastHeard = Date.now()
  private keepalive: ReturnType<typeof setInterval> | undefined

  constructor(
    private readonly channel: RTCDataChannel,
    private readonly traffic: ChannelTraffic,
  ) {
    this.assembler = new FrameAssembler(MAX_MESSAGE_BYTES, () => traffic.oversize?.())
    channel.binaryType = 'arraybuffer'
    channel.addEventListener('bufferedamountlow', () => this.flush())
    const start = () => {
      this.lastHeard = Date.now()
      clearInterval(this.keepalive)
      this.keepalive = setInterval(() => this.checkAlive(), KEEPALIVE_EVERY_MS)
    }
    // A channel handed over by the other side may be open already.
    if (channel.readyState === 'open') start()
    else channel.addEventListener('open', start)
    channel.addEventListener('close', () => clearInterval(this.keepalive))
    channel.addEventListener('message', (event: MessageEvent) => {
      if (!(event.data instanceof ArrayBuffer)) return
      this.lastHeard = Date.now()
      const frame = new Uint8Array(event.data)
      if (frame[0] === KEEPALIVE) return
      const whole = this.assembler.push(frame)
      if (!whole) return
      this.traffic.received(whole.length)
      this.messageHandler?.({ data: whole.buffer })
    })
  }

  send(data: string | ArrayBuffer | ArrayBufferView): void {
    const bytes = toBytes(data)
    for (const frame of splitIntoFrames(bytes)) {
      this.queue.push(frame)
      this.queuedBytes += frame.length
    }
    this.flush()
    this.traffic.sent(bytes.length)
  }

  private checkAlive(): void {
    if (this.channel.readyState !== 'open') return
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      clearInterval(this.keepalive)
      this.channel.close()
      return
    }
    if (this.queue.length === 0 && this.channel.bufferedAmount < HIGH_WATER) this.sendFrame(new Uint8Array([KEEPALIVE]))
  }

  /** A channel can close before its readyState says so; a send then throws, and the channel is done. */
  private sendFrame(frame: Uint8Array<ArrayBuffer>): boolean {
    try {
      this.channel.send(frame)
      return true
    } catch {
      this.close()
      return false
    }
  }

  private flush(): void {
    while (this.queue.length > 0 && this.channel.readyState === 'open' && this.channel.bufferedAmount < HIGH_WATER) {
      const frame = this.queue.shift()!
      this.queuedBytes -= frame.length
      if (!this.sendFrame(frame)) return
    }
  }

  close(): void {
    clearInterval(this.keepalive)
    this.queue = []
    this.queuedBytes = 0
    try {
      this.channel.close()
    } catch {
      // closed already
    }
  }

  get label() { return this.channel.label }
  get readyState() { return this.channel.readyState }
  get bufferedAmount() { return this.channel.bufferedAmount + this.queuedBytes }
  get bufferedAmountLowThreshold() { return this.channel.bufferedAmountLowThreshold }
  set bufferedAmountLowThreshold(value: number) { this.channel.bufferedAmountLowThreshold = value }
  get binaryType() { return 'arraybuffer' as const }
  set binaryType(_value: string) { /* frames are always bytes */ }
  get onmessage() { return this.messageHandler }
  set onmessage(handler: Handler) { this.messageHandler = handler }
  get onopen() { return this.channel.onopen }
  set onopen(handler: Handler) { this.channel.onopen = handler }
  get onclose() { return this.channel.onclose }
  set onclose(handler: Handler) { this.channel.onclose = handler }
  get onerror() { return this.channel.onerror }
  set onerror(handler: Handler) { this.channel.onerror = handler }
  get onbufferedamountlow() { return this.channel.onbufferedamountlow }
  set onbufferedamountlow(handler: Handler) { this.channel.onbufferedamountlow = handler }
}

/** The WebRTC classes simple-peer needs: the browser's, or a Node.js implementation's. */
export interface WebRTCClasses {
  RTCPeerConnection: typeof RTCPeerConnection
  RTCSessionDescription: unknown
  RTCIceCandidate: unknown
}

/**
 * The `wrtc` option for simple-peer: the given WebRTC classes (the browser's own by
 * default), except that data channels are framed. Every connection made through it
 * is kept in `open` so status and tests can read its getStats().
 */
export function framedWebRTC(traffic: ChannelTraffic, open: Set<RTCPeerConnection>, base: WebRTCClasses = globalThis): WebRTCClasses {
  class FramedPeerConnection extends base.RTCPeerConnection {
    private dataChannelHandler: Handler = null

    constructor(config?: RTCConfiguration) {
      super(config)
      open.add(this)
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'closed' || this.connectionState === 'failed') open.delete(this)
      })
      // simple-peer assigns ondatachannel; it gets framed channels. The property is this
      // object's own (node-datachannel defines one on each instance, which would hide an
      // accessor on the class), and reads as unset, so only the listener hands channels out.
      this.addEventListener('datachannel', (event) => this.dataChannelHandler?.({ channel: new FramedDataChannel(event.channel, traffic) }))
      Object.defineProperty(this, 'ondatachannel', {
        configurable: true,
        get: () => null,
        set: (handler: Handler) => (this.dataChannelHandler = handler),
      })
    }

    override createDataChannel(label: string, options?: RTCDataChannelInit): RTCDataChannel {
      return new FramedDataChannel(super.createDataChannel(label, options), traffic) as unknown as RTCDataChannel
    }

    override close(): void {
      open.delete(this)
      super.close()
    }
  }
  return {
    RTCPeerConnection: FramedPeerConnection,
    RTCSessionDescription: base.RTCSessionDescription,
    RTCIceCandidate: base.RTCIceCandidate,
  }
}
