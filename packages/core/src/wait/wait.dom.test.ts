// The wait that ends when the connection returns: jsdom has the window's `online` event.
import { expect, test } from 'vitest'
import { sleep } from './wait'

test("orOnline: the browser's online event ends the wait before its time; without it, it does not", async () => {
  const order: string[] = []
  const waking = sleep(60_000, new AbortController().signal, { orOnline: true }).then(() => order.push('woken'))
  const plain = sleep(30, new AbortController().signal).then(() => order.push('plain'))
  const deaf = sleep(60, new AbortController().signal).then(() => order.push('deaf'))
  window.dispatchEvent(new Event('online'))
  await Promise.all([waking, plain, deaf])
  expect(order).toEqual(['woken', 'plain', 'deaf'])
})
