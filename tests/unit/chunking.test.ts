import { afterEach, describe, expect, it, vi } from 'vitest'
import { FRAME_PAYLOAD, FrameAssembler, FramedDataChannel, KEEPALIVE_EVERY_MS, SILENCE_LIMIT_MS, splitIntoFrames } from '../../src/sync/chunking'

function bytes(length: number): Uint8Array {
  const data = new Uint8Array(length)
  for (let i = 0; i < length; i++) data[i] = (i * 31 + 7) & 0xff
  return data
}

describe('framing large messages for a data channel', () => {
  for (const length of [0, 1, FRAME_PAYLOAD - 1, FRAME_PAYLOAD, FRAME_PAYLOAD + 1, 5 * 1024 * 1024 + 3]) {
    it(`a ${length}-byte message arrives whole and unchanged`, () => {
      const message = bytes(length)
      const frames = splitIntoFrames(message)
      expect(frames.length).toBe(Math.max(1, Math.ceil(length / FRAME_PAYLOAD)))
      // Chromium refuses data-channel messages above 256 KB; no frame may come near.
      for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(64 * 1024)
      const assembler = new FrameAssembler()
      const results = frames.map((f) => assembler.push(f))
      expect(results.slice(0, -1).every((r) => r === null)).toBe(true)
      const whole = results.at(-1)
      expect(whole).toBeInstanceOf(Uint8Array)
      // Buffer.equals: a deep toEqual over 5 MB, byte by byte, takes half a minute.
      expect(Buffer.from(whole!).equals(Buffer.from(message))).toBe(true)
    })
  }

  it('keeps messages apart when several follow each other', () => {
    const assembler = new FrameAssembler()
    const first = bytes(FRAME_PAYLOAD * 2 + 5)
    const second = bytes(10)
    const out = [...splitIntoFrames(first), ...splitIntoFrames(second)].map((f) => assembler.push(f)).filter(Boolean)
    expect(out).toEqual([first, second])
  })
})

describe('noticing a peer that went away', () => {
  class FakeChannel extends EventTarget {
    readyState: RTCDataChannelState = 'connecting'
    bufferedAmount = 0
    bufferedAmountLowThreshold = 0
    binaryType = 'arraybuffer'
    label = 'fake'
    sent: Uint8Array[] = []
    closed = false
    onopen = null
    onclose = null
    onerror = null
    onbufferedamountlow = null
    send(frame: Uint8Array) {
      this.sent.push(frame)
    }
    close() {
      this.closed = true
      this.readyState = 'closed'
      this.dispatchEvent(new Event('close'))
    }
    open() {
      this.readyState = 'open'
      this.dispatchEvent(new Event('open'))
    }
    hear(frame: Uint8Array) {
      this.dispatchEvent(new MessageEvent('message', { data: frame.buffer }))
    }
  }

  afterEach(() => vi.useRealTimers())

  it('sends keepalives while open and closes after hearing nothing for too long', () => {
    vi.useFakeTimers()
    const channel = new FakeChannel()
    const received: number[] = []
    const framed = new FramedDataChannel(channel as unknown as RTCDataChannel, { sent: () => {}, received: (n) => received.push(n) })
    channel.open()
    vi.advanceTimersByTime(KEEPALIVE_EVERY_MS + 1)
    expect(channel.sent.some((f) => f.length === 1 && f[0] === 2)).toBe(true)
    // Hearing a keepalive keeps it open; keepalives are not messages.
    vi.advanceTimersByTime(SILENCE_LIMIT_MS - KEEPALIVE_EVERY_MS)
    channel.hear(new Uint8Array([2]))
    vi.advanceTimersByTime(KEEPALIVE_EVERY_MS * 2)
    expect(channel.closed).toBe(false)
    expect(received).toEqual([])
    vi.advanceTimersByTime(SILENCE_LIMIT_MS + KEEPALIVE_EVERY_MS)
    expect(channel.closed).toBe(true)
    expect(framed.readyState).toBe('closed')
  })
})
