// The worklet's source run in Node against a stand-in of the AudioWorkletGlobalScope.
import { expect, test } from 'vitest'
import { PCM_PROCESSOR, PCM_WORKLET_SOURCE } from './worklet-source'

interface Processor {
  port: { onmessage: ((event: { data: unknown }) => void) | null; postMessage(data: unknown): void }
  process(inputs: Float32Array[][]): boolean
}

function load(blockFrames: number) {
  const posted: unknown[] = []
  let registered: { name: string; ctor: new (options: unknown) => Processor } | undefined
  class AudioWorkletProcessor {
    port = { onmessage: null, postMessage: (data: unknown) => posted.push(data) }
  }
  const registerProcessor = (name: string, ctor: new (options: unknown) => Processor) => {
    registered = { name, ctor }
  }
  new Function('AudioWorkletProcessor', 'registerProcessor', PCM_WORKLET_SOURCE)(
    AudioWorkletProcessor,
    registerProcessor,
  )
  if (!registered) throw new Error('nothing registered')
  const processor = new registered.ctor({ processorOptions: { blockFrames } })
  return { name: registered.name, processor, posted }
}

test('mixes to mono, posts full blocks, and posts the rest on flush', () => {
  const { name, processor, posted } = load(256)
  expect(name).toBe(PCM_PROCESSOR)
  const left = Float32Array.from({ length: 128 }, (_, i) => i / 128)
  const right = Float32Array.from({ length: 128 }, () => 0.5)
  for (let i = 0; i < 3; i++) expect(processor.process([[left, right]])).toBe(true)
  expect(posted).toHaveLength(1)
  const block = posted[0] as Float32Array
  expect(block).toHaveLength(256)
  expect(block[0]).toBeCloseTo(0.25)
  expect(block[129]).toBeCloseTo((1 / 128 + 0.5) / 2)
  processor.port.onmessage?.({ data: 'flush' })
  expect(posted).toHaveLength(3)
  expect(posted[1]).toHaveLength(128)
  expect(posted[2]).toBe('flushed')
  // No input (the graph not running yet) is not an error, and keeps the processor alive.
  expect(processor.process([[]])).toBe(true)
})
