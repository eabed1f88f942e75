// A one-way factory ships one direction's code only: an app's bundler, given just the transcriber, leaves the
// text-to-speech request out (and the other way round). Built with esbuild as bench/bundle.ts builds apps.
import { describe, expect, test } from 'vitest'
import { measure } from '../../../../bench/bundle.ts'

const cases = [
  {
    folder: 'elevenlabs',
    transcriber: 'createElevenLabsTranscriber',
    speaker: 'createElevenLabsSpeaker',
    transcribePath: '/v1/speech-to-text',
    speakPath: '/v1/text-to-speech/',
  },
  {
    folder: 'openai',
    transcriber: 'createOpenAITranscriber',
    speaker: 'createOpenAISpeaker',
    transcribePath: '/audio/transcriptions',
    speakPath: '/audio/speech',
  },
  {
    folder: 'fish',
    transcriber: 'createFishTranscriber',
    speaker: 'createFishSpeaker',
    transcribePath: '/v1/asr',
    speakPath: '/v1/tts',
  },
  {
    folder: 'dify',
    transcriber: 'createDifyTranscriber',
    speaker: 'createDifySpeaker',
    transcribePath: '/audio-to-text',
    speakPath: '/text-to-audio',
  },
]

const bundle = async (folder: string, name: string) =>
  (await measure({ name, source: `export { ${name} } from './packages/core/src/providers/${folder}/index.ts'` })).code

describe.each(cases)('$folder: one direction per bundle', (c) => {
  test('the transcriber leaves the text-to-speech request out', async () => {
    const code = await bundle(c.folder, c.transcriber)
    expect(code).toContain(c.transcribePath)
    expect(code).not.toContain(c.speakPath)
  })

  test('the speaker leaves the speech-to-text request out', async () => {
    const code = await bundle(c.folder, c.speaker)
    expect(code).toContain(c.speakPath)
    expect(code).not.toContain(c.transcribePath)
  })
})
