import { vi } from 'vitest'

/** Counts the `abort` listeners added to any AbortSignal and not yet removed, until `restore()`. */
export function watchAbortListeners() {
  const live = new Set<unknown>()
  const add = vi.spyOn(AbortSignal.prototype, 'addEventListener')
  const remove = vi.spyOn(AbortSignal.prototype, 'removeEventListener')
  add.mockImplementation(function (this: AbortSignal, ...args) {
    if (args[0] === 'abort') live.add(args[1])
    return EventTarget.prototype.addEventListener.apply(this, args)
  })
  remove.mockImplementation(function (this: AbortSignal, ...args) {
    if (args[0] === 'abort') live.delete(args[1])
    return EventTarget.prototype.removeEventListener.apply(this, args)
  })
  return {
    live,
    restore() {
      add.mockRestore()
      remove.mockRestore()
    },
  }
}
