import { VoiceError } from '../../errors'

/** The reason an aborted signal gives, as a VoiceError (`aborted` unless it already is one). */
export const abortReason = (signal: AbortSignal): VoiceError =>
  signal.reason instanceof VoiceError ? signal.reason : new VoiceError('aborted', undefined, { cause: signal.reason })
