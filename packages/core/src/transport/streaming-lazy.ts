// A provider's `openTranscriptionStream`, its code loaded on the first call: an app that never streams
// never downloads the socket, PCM and protocol code. A chunk that fails to load (offline, a deploy that
// replaced it) is a `network` VoiceError like any other.
import { VoiceError } from '../errors'
import type { StreamingTranscriptionOptions, StreamingTranscriptionSession } from './streaming'

export function lazyTranscriptionStream<Module>(
  provider: string,
  load: () => Promise<Module>,
  open: (module: Module, options: StreamingTranscriptionOptions) => Promise<StreamingTranscriptionSession>,
): (options: StreamingTranscriptionOptions) => Promise<StreamingTranscriptionSession> {
  return async (options) => {
    let module: Module
    try {
      module = await load()
    } catch (cause) {
      throw new VoiceError('network', `The ${provider} real-time transcriber could not be loaded`, { provider, cause })
    }
    return open(module, options)
  }
}

/**
 * The transcriber as it is without `realtime`; with it, also `openTranscriptionStream`, loaded on first use
 * and given the realtime settings (`{}` for `true`).
 */
export function withTranscriptionStream<Transcriber extends object, Settings extends object, Module>(
  provider: string,
  transcriber: Transcriber,
  realtime: boolean | Settings | undefined,
  load: () => Promise<Module>,
  open: (
    module: Module,
    settings: Settings,
    options: StreamingTranscriptionOptions,
  ) => Promise<StreamingTranscriptionSession>,
): Transcriber {
  if (!realtime) return transcriber
  const settings = (realtime === true ? {} : realtime) as Settings
  return {
    ...transcriber,
    openTranscriptionStream: lazyTranscriptionStream(provider, load, (module, options) =>
      open(module, settings, options),
    ),
  }
}
