// Reading a provider's audio answer as a stream: loaded lazily by the built-in transports
// (audioStreamReader in http.ts), and public for custom transports.
import { VoiceError } from '../errors'
import { normaliseAudioMime } from './audio-types'
import { abortedError, badResponse, messageOf } from './errors'
import type { AudioStream } from './types'

/**
 * Hands over a 2xx audio response as a stream once its first bytes have arrived, so that
 * a JSON answer, a `null`, or an empty body becomes `bad_response` instead of silence.
 * Read errors later in the stream become `network` (or `aborted` for the caller's signal).
 */
export async function readAudioStream(
  response: Response,
  provider: string,
  fallbackMime: string,
  signal: AbortSignal | undefined,
): Promise<AudioStream> {
  const { status } = response
  const mimeType = normaliseAudioMime(response.headers.get('content-type'))
  // A custom transport calls this outside `request()`: a body that breaks before the first bytes must
  // still reject with a VoiceError, never with the runtime's own TypeError.
  const broke = (error: unknown) =>
    signal?.aborted
      ? abortedError(provider, signal.reason)
      : new VoiceError('network', `The ${provider} audio stream broke: ${messageOf(error)}`, { provider, cause: error })
  if (/json|^text\//.test(mimeType)) {
    const text = await response.text().catch((error: unknown) => {
      throw broke(error)
    })
    throw badResponse(provider, `${provider} answered ${mimeType} instead of audio: ${text.slice(0, 200)}`, status)
  }
  const source = response.body
  if (!source) throw badResponse(provider, `${provider} answered without audio`, status)
  let reader: ReadableStreamDefaultReader<Uint8Array>
  let first: Uint8Array | undefined
  try {
    reader = source.getReader()
    first = await nextChunk(reader)
  } catch (error) {
    throw broke(error)
  }
  if (!first) throw badResponse(provider, `${provider} answered with an empty audio body`, status)
  let finished = false
  let onAbort = () => {}
  const finish = () => {
    finished = true
    signal?.removeEventListener('abort', onAbort)
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first)
      onAbort = () => {
        if (finished) return
        finish()
        controller.error(abortedError(provider, signal?.reason))
        reader.cancel(signal?.reason).catch(() => {})
      }
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    },
    async pull(controller) {
      try {
        const chunk = await nextChunk(reader)
        if (finished) return
        if (chunk) controller.enqueue(chunk)
        else {
          finish()
          controller.close()
        }
      } catch (error) {
        if (finished) return
        finish()
        controller.error(broke(error))
      }
    },
    cancel(reason) {
      finish()
      return reader.cancel(reason).catch(() => {})
    },
  })
  return { mimeType: mimeType && mimeType !== 'application/octet-stream' ? mimeType : fallbackMime, body }
}

/** The next non-empty chunk, or undefined at the end (a pull that enqueues nothing would stall the stream). */
async function nextChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array | undefined> {
  for (;;) {
    const chunk = await reader.read()
    if (chunk.done) return undefined
    if (chunk.value.byteLength > 0) return chunk.value
  }
}
