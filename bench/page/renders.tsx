// React renders while recording (with the level meter) and while playing (with progress), counted
// in the components' bodies (the page runs React's production build, which has no Profiler), against
// the straightforward alternatives: the level in React state, set on every animation frame; progress
// from an <audio>'s timeupdate in React state.
import type { LevelSource, SpeechTransport } from '@voicekit/core'
import { useAudioLevel, useSpeak, useTranscribe, VoiceProvider } from '@voicekit/react'
import { Waveform } from '@voicekit/ui/voice-controls'
import { type CSSProperties, memo, type ReactNode, useEffect, useRef, useState } from 'react'
import { createRoot } from 'react-dom/client'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Render counts and the hooks' results, written by the components below. */
const seen = {
  renders: 0,
  levelWrites: 0,
  transcribe: undefined as ReturnType<typeof useTranscribe> | undefined,
  speak: undefined as ReturnType<typeof useSpeak> | undefined,
}

async function mount(node: ReactNode) {
  seen.renders = 0
  const element = document.createElement('div')
  document.body.append(element)
  const root = createRoot(element)
  root.render(node)
  await sleep(100)
  return () => {
    root.unmount()
    element.remove()
  }
}

function transport(mp3: Uint8Array<ArrayBuffer>): SpeechTransport {
  return {
    provider: 'bench',
    input: { mimeTypes: ['audio/webm', 'audio/ogg', 'audio/wav'], maxBytes: 50 * 2 ** 20 },
    async transcribe() {
      return { text: 'ok', segments: [], provider: 'bench', raw: null }
    },
    async speak() {
      return { mimeType: 'audio/mpeg', body: new Blob([mp3]).stream() }
    },
  }
}

/** voicekit's way: useTranscribe, and useAudioLevel writing the level outside React. */
function Dictate() {
  seen.renders++
  const ring = useRef<HTMLButtonElement>(null)
  const t = useTranscribe()
  seen.transcribe = t
  useAudioLevel(t.level, (level) => {
    seen.levelWrites++
    ring.current?.style.setProperty('--vk-level', level.toFixed(3))
  })
  return (
    <button type="button" ref={ring} data-state={t.status}>
      {t.status === 'recording' ? `Stop (${Math.floor(t.durationMs / 1000)} s)` : 'Speak'}
    </button>
  )
}

/** The alternative: the same meter with the level in React state, set on every animation frame. */
function StateMeter({ analyser }: { analyser: AnalyserNode }) {
  seen.renders++
  const [level, setLevel] = useState(0)
  const [seconds, setSeconds] = useState(0)
  useEffect(() => {
    const data = new Float32Array(analyser.fftSize)
    let frame = requestAnimationFrame(function read() {
      analyser.getFloatTimeDomainData(data)
      let sum = 0
      for (const x of data) sum += x * x
      setLevel(Math.sqrt(sum / data.length))
      frame = requestAnimationFrame(read)
    })
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000)
    return () => {
      cancelAnimationFrame(frame)
      clearInterval(timer)
    }
  }, [analyser])
  return <button type="button" style={{ '--level': level } as CSSProperties}>{`Stop (${seconds} s)`}</button>
}

/** voicekit's way: useSpeak, progress from its state. */
function Speaker() {
  seen.renders++
  const s = useSpeak({ volume: 0 })
  seen.speak = s
  return <progress max={10} value={s.currentTime} />
}

/** The alternative: an <audio> element, progress through timeupdate into React state. */
function AudioProgress({ url }: { url: string }) {
  seen.renders++
  const [time, setTime] = useState(0)
  return (
    <>
      <audio src={url} autoPlay muted onTimeUpdate={(event) => setTime(event.currentTarget.currentTime)}>
        <track kind="captions" />
      </audio>
      <progress max={10} value={time} />
    </>
  )
}

/** Renders during `ms` of recording. */
async function recordingOurs(ms: number): Promise<{ renders: number; levelWrites: number }> {
  const unmount = await mount(
    <VoiceProvider transport={transport(new Uint8Array())}>
      <Dictate />
    </VoiceProvider>,
  )
  seen.transcribe?.start()
  while (seen.transcribe?.status !== 'recording') await sleep(10)
  const before = seen.renders
  seen.levelWrites = 0
  await sleep(ms)
  const renders = seen.renders - before
  const levelWrites = seen.levelWrites
  seen.transcribe.cancel()
  await sleep(100)
  unmount()
  return { renders, levelWrites }
}

async function recordingState(ms: number): Promise<{ renders: number }> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
  const context = new AudioContext()
  const analyser = context.createAnalyser()
  context.createMediaStreamSource(stream).connect(analyser)
  const unmount = await mount(<StateMeter analyser={analyser} />)
  const before = seen.renders
  await sleep(ms)
  const renders = seen.renders - before
  unmount()
  for (const track of stream.getTracks()) track.stop()
  await context.close()
  return { renders }
}

/** Renders during `ms` of playback. */
async function playbackOurs(url: string, ms: number): Promise<{ renders: number; played: number }> {
  const mp3 = new Uint8Array(await (await fetch(url)).arrayBuffer())
  const unmount = await mount(
    <VoiceProvider transport={transport(mp3)}>
      <Speaker />
    </VoiceProvider>,
  )
  void seen.speak?.speak('bench')
  while (seen.speak?.status !== 'playing') await sleep(10)
  const before = seen.renders
  await sleep(ms)
  const renders = seen.renders - before
  const played = seen.speak.currentTime
  seen.speak.stop()
  unmount()
  return { renders, played }
}

async function playbackAudio(url: string, ms: number): Promise<{ renders: number }> {
  const unmount = await mount(<AudioProgress url={url} />)
  const before = seen.renders
  await sleep(ms)
  const renders = seen.renders - before
  unmount()
  return { renders }
}

/** voicekit's visualizer: the Waveform canvas on the recorder's level, drawn outside React. Its renders are counted. */
const Wave = memo(function Wave({ source }: { source: LevelSource }) {
  seen.renders++
  return <Waveform source={source} bars={32} style={{ width: 200, height: 40 }} />
})

function Visualizer() {
  const t = useTranscribe()
  seen.transcribe = t
  return <Wave source={t.level} />
}

/** The naive one: the last 32 levels in React state, one div per bar, set on every animation frame. */
function StateBars({ analyser }: { analyser: AnalyserNode }) {
  seen.renders++
  const [bars, setBars] = useState<number[]>(() => Array(32).fill(0))
  useEffect(() => {
    const data = new Float32Array(analyser.fftSize)
    let frame = requestAnimationFrame(function read() {
      analyser.getFloatTimeDomainData(data)
      let sum = 0
      for (const x of data) sum += x * x
      const level = Math.sqrt(sum / data.length)
      seen.levelWrites++
      setBars((previous) => [...previous.slice(1), level])
      frame = requestAnimationFrame(read)
    })
    return () => cancelAnimationFrame(frame)
  }, [analyser])
  return (
    <div style={{ display: 'flex', height: 40 }}>
      {bars.map((bar, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed slots
        <div key={i} style={{ width: 4, height: `${bar * 100}%` }} />
      ))}
    </div>
  )
}

/** Renders and animation frames during `ms` of visualizing the microphone. */
async function visualizerOurs(ms: number): Promise<{ renders: number; frames: number }> {
  const unmount = await mount(
    <VoiceProvider transport={transport(new Uint8Array())}>
      <Visualizer />
    </VoiceProvider>,
  )
  seen.transcribe?.start()
  while (seen.transcribe?.status !== 'recording') await sleep(10)
  let frames = 0
  const off = seen.transcribe.level.subscribe(() => frames++)
  const before = seen.renders
  await sleep(ms)
  const renders = seen.renders - before
  off()
  seen.transcribe.cancel()
  await sleep(100)
  unmount()
  return { renders, frames }
}

async function visualizerState(ms: number): Promise<{ renders: number; frames: number }> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
  const context = new AudioContext()
  const analyser = context.createAnalyser()
  context.createMediaStreamSource(stream).connect(analyser)
  const unmount = await mount(<StateBars analyser={analyser} />)
  const before = seen.renders
  seen.levelWrites = 0
  await sleep(ms)
  const renders = seen.renders - before
  const frames = seen.levelWrites
  unmount()
  for (const track of stream.getTracks()) track.stop()
  await context.close()
  return { renders, frames }
}

Object.assign(window, {
  bench: { recordingOurs, recordingState, playbackOurs, playbackAudio, visualizerOurs, visualizerState },
})
document.title = 'ready'
