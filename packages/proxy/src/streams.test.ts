// The idle timer on a fake clock (the silence is measured from the last touch, a moving stream is never cut,
// a cleared timer never fires, and touches never pile up timers), and the relay's own cut on the run's abort.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { idleTimer, relay } from './streams'

describe('idleTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  test('fires once, after `ms` of silence and not a millisecond before', () => {
    const onIdle = vi.fn()
    const timer = idleTimer(1000, onIdle)
    timer.touch()
    vi.advanceTimersByTime(999)
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onIdle).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(10_000)
    expect(onIdle).toHaveBeenCalledTimes(1)
  })

  test('a touch part-way restarts the silence', () => {
    const onIdle = vi.fn()
    const timer = idleTimer(1000, onIdle)
    timer.touch()
    vi.advanceTimersByTime(750)
    timer.touch()
    vi.advanceTimersByTime(999)
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onIdle).toHaveBeenCalledTimes(1)
  })

  test('a stream that keeps moving is never cut, however long it runs', () => {
    const onIdle = vi.fn()
    const timer = idleTimer(1000, onIdle)
    for (let elapsed = 0; elapsed < 60_000; elapsed += 400) {
      timer.touch()
      vi.advanceTimersByTime(400)
    }
    expect(onIdle).not.toHaveBeenCalled()
    // Last touch at 59 600; silence from there.
    vi.advanceTimersByTime(599)
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onIdle).toHaveBeenCalledTimes(1)
  })

  test('once cleared it never fires, and later touches do not start it again', () => {
    const onIdle = vi.fn()
    const timer = idleTimer(1000, onIdle)
    timer.touch()
    vi.advanceTimersByTime(500)
    timer.clear()
    timer.touch()
    vi.advanceTimersByTime(10_000)
    expect(onIdle).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })

  test('holds a single timer however many touches there are', () => {
    const timer = idleTimer(1000, () => {})
    for (let i = 0; i < 1000; i++) timer.touch()
    expect(vi.getTimerCount()).toBe(1)
    timer.clear()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('relay', () => {
  test("the run's abort errors the relayed body at once, even while the provider's body stays silent", async () => {
    const silent = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]))
      },
      pull: () => new Promise(() => {}), // a stalled provider: no more bytes, no end
    })
    const hooks = { onChunk: vi.fn(), onDone: vi.fn(), onCancel: vi.fn() }
    const stop = new AbortController()
    const reader = relay(silent, hooks, stop.signal).getReader()
    expect((await reader.read()).value).toEqual(new Uint8Array([1, 2, 3]))
    const pending = reader.read()
    stop.abort(new Error('idle for 600 ms'))
    await expect(pending).rejects.toThrow('idle for 600 ms')
    expect(hooks.onDone).toHaveBeenCalledTimes(1)
    expect(hooks.onCancel).not.toHaveBeenCalled()
  })

  test('a body that ends is closed once, and a later abort changes nothing', async () => {
    const hooks = { onChunk: vi.fn(), onDone: vi.fn(), onCancel: vi.fn() }
    const stop = new AbortController()
    const body = relay(new Response('abc').body!, hooks, stop.signal)
    expect(await new Response(body).text()).toBe('abc')
    stop.abort(new Error('late'))
    expect(hooks.onDone).toHaveBeenCalledTimes(1)
    expect(hooks.onChunk).toHaveBeenCalledTimes(1)
  })
})
