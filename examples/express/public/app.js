import { createDifyTransport, createRecorder, createStreamingPlayer, toUploadable } from '@voicekit/core'

const transport = createDifyTransport({ baseUrl: '/api/voice/dify' })
const recorder = createRecorder({ input: transport.input })
const player = createStreamingPlayer()
const $ = (id) => document.getElementById(id)
const say = (text) => ($('status').textContent = text)

$('dictate').addEventListener('click', async () => {
  const button = $('dictate')
  try {
    if (button.getAttribute('aria-pressed') === 'false') {
      await recorder.start()
      button.setAttribute('aria-pressed', 'true')
      return say('recording')
    }
    button.setAttribute('aria-pressed', 'false')
    say('transcribing')
    const recording = await recorder.stop()
    if (!recording) return say('idle')
    // What the provider takes as it is, or else 16 kHz WAV converted in the browser.
    const { text } = await transport.transcribe(await toUploadable(recording, transport.input))
    $('message').value = text
    say('done')
  } catch (error) {
    button.setAttribute('aria-pressed', 'false')
    say(`error: ${error.code ?? error.message}`)
  }
})

$('speak').addEventListener('click', async () => {
  player.unlock()
  $('speech').textContent = ''
  const error = await player.play((signal) => transport.speak('Hello from voicekit.', { signal }))
  $('speech').textContent = error ? error.code : 'played'
})
