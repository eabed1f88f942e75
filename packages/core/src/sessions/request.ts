import { isVoiceError, VoiceError } from '../errors'

/** One request a session makes to its transport: a transcription (with its retries) or a speech request. */
export interface VoiceRequest<T> {
  kind: 'transcribe' | 'speak'
  /** What the request is about (the recording, or the text and voice): for devtools and global handlers. */
  variables: unknown
  run(): Promise<T>
}

/**
 * Runs a session's requests. The default just runs them; `@voicekit/react` runs each as a mutation on the
 * app's QueryClient so that devtools, `useIsMutating` and global error handlers see it. A runner only
 * observes: it must not retry (the session owns the retry policy).
 */
export type RequestRunner = <T>(request: VoiceRequest<T>) => Promise<T>

export const runDirectly: RequestRunner = (request) => request.run()

export const asVoiceError = (error: unknown): VoiceError =>
  isVoiceError(error) ? error : new VoiceError('provider_error', String(error), { cause: error })
