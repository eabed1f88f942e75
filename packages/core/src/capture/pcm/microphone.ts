// The microphone as 16 kHz mono PCM: getUserMedia → one AudioContext → an AudioWorklet that mixes
// to mono and posts blocks → the resampler on the main thread. Every path out (stop, cancel, a
// failed start, the device going away) stops each track and closes the AudioContext.
import { VoiceError } from '../../errors'
import { toCaptureError } from '../errors'
import { createLevelMeter } from '../level'
import { createResampler } from './resampler'
import type { PcmSink, PcmSource } from './source'
import { PCM_PROCESSOR, PCM_WORKLET_SOURCE } from './worklet-source'

export interface MicrophonePcmOptions {
  /** A microphone from `enumerateDevices()`; required exactly when given. */
  deviceId?: string
  /** Default true. */
  echoCancellation?: boolean
  /** Default true. */
  noiseSuppression?: boolean
  /**
   * Where to load the worklet module from. Default: a Blob URL made from the module's source
   * in this package (same origin, nothing fetched). Give a URL of your own origin serving
   * `PCM_WORKLET_SOURCE` when a Content-Security-Policy refuses `blob:` scripts.
   */
  workletUrl?: string | URL
  /** Feed `level` from an AnalyserNode. Default true. */
  level?: boolean
}

/** True where continuous capture can run: getUserMedia, AudioContext and AudioWorklet. Never throws. */
export function pcmCaptureSupported(): boolean {
  const g = globalThis as { AudioWorkletNode?: unknown; AudioContext?: unknown; navigator?: Navigator }
  return (
    typeof g.AudioWorkletNode === 'function' &&
    typeof g.AudioContext === 'function' &&
    typeof g.navigator?.mediaDevices?.getUserMedia === 'function'
  )
}

/** Adds the worklet module to `context`, from `workletUrl` or from a same-origin Blob URL of its source. */
async function addWorklet(context: AudioContext, workletUrl?: string | URL): Promise<void> {
  if (workletUrl) return context.audioWorklet.addModule(String(workletUrl))
  const url = URL.createObjectURL(new Blob([PCM_WORKLET_SOURCE], { type: 'text/javascript' }))
  try {
    await context.audioWorklet.addModule(url)
  } finally {
    URL.revokeObjectURL(url)
  }
}

export function createMicrophonePcm(options: MicrophonePcmOptions = {}): PcmSource {
  const meter = createLevelMeter()
  let release: ((deliver: boolean) => Promise<void>) | null = null
  let cancelled = false

  return {
    level: meter.source,
    async start(sink: PcmSink) {
      if (release) throw new VoiceError('microphone_busy', 'This source is already capturing')
      cancelled = false
      let stream: MediaStream | undefined
      let context: AudioContext | undefined
      let node: AudioWorkletNode | undefined
      let open = true
      const free = () => {
        open = false
        if (node) node.port.onmessage = null
        node?.disconnect()
        for (const track of stream?.getTracks() ?? []) {
          track.onended = null
          track.stop()
        }
        meter.detach()
        context?.close().catch(() => {})
        release = null
      }
      release = async (deliver) => {
        if (!open) return
        if (deliver && node) {
          // What the worklet still holds, then what the resampler holds back.
          const port = node.port
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 500)
            port.onmessage = (event) => {
              if (event.data === 'flushed') {
                clearTimeout(timer)
                resolve()
              } else onBlock(event)
            }
            port.postMessage('flush')
          })
          const tail = resampler?.flush()
          free()
          if (tail?.length) sink.samples(tail)
          return
        }
        free()
      }
      let resampler: ReturnType<typeof createResampler> | undefined
      const onBlock = (event: MessageEvent) => {
        if (!open || !(event.data instanceof Float32Array) || !resampler) return
        const out = resampler.push(event.data)
        if (out.length) sink.samples(out)
      }
      try {
        if (!pcmCaptureSupported()) throw new VoiceError('not_supported', 'AudioWorklet or getUserMedia missing')
        const opened = await navigator.mediaDevices.getUserMedia({
          audio: {
            deviceId: options.deviceId ? { exact: options.deviceId } : undefined,
            echoCancellation: options.echoCancellation ?? true,
            noiseSuppression: options.noiseSuppression ?? true,
          },
        })
        stream = opened
        if (cancelled) throw new VoiceError('aborted', 'Cancelled while the microphone was opening')
        context = new AudioContext()
        await addWorklet(context, options.workletUrl)
        if (cancelled) throw new VoiceError('aborted', 'Cancelled while the microphone was opening')
        resampler = createResampler(context.sampleRate)
        node = new AudioWorkletNode(context, PCM_PROCESSOR, {
          numberOfInputs: 1,
          numberOfOutputs: 1,
          outputChannelCount: [1],
          // About 85 ms per message at 48 kHz.
          processorOptions: { blockFrames: 4096 },
        })
        node.port.onmessage = onBlock
        const input = context.createMediaStreamSource(stream)
        const mute = context.createGain()
        mute.gain.value = 0
        // Connected to the destination (silently) so that every engine keeps pulling the graph.
        input.connect(node).connect(mute).connect(context.destination)
        if (options.level !== false) meter.attach(context, stream)
        // The property, not addEventListener: Firefox does not deliver `ended` to listeners on these tracks.
        for (const track of stream.getTracks()) {
          track.onended = () => {
            void release?.(true).then(() => sink.ended?.())
          }
        }
        await context.resume()
      } catch (error) {
        free()
        throw toCaptureError(error)
      }
    },
    stop: () => release?.(true) ?? Promise.resolve(),
    cancel() {
      cancelled = true
      void release?.(false)
    },
  }
}
