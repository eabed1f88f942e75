// Choosing the speaker: setSinkId, feature-detected on HTMLMediaElement and on AudioContext.
import { VoiceError } from '../errors'

export interface SinkSupport {
  /** `HTMLMediaElement.setSinkId` (Chromium, Firefox 116+). */
  element: boolean
  /** `AudioContext.setSinkId` (Chromium 110+). */
  context: boolean
}

/** What this browser can route to a chosen speaker. Safe on a server (all false). */
export function sinkSupport(): SinkSupport {
  return {
    element: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
    context: typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype,
  }
}

type SinkTarget = (HTMLMediaElement | AudioContext) & { setSinkId?: (id: string) => Promise<void> }

/**
 * Sends `target`'s output to the speaker `sinkId` ('' = the system default). Rejects with a
 * `not_supported` VoiceError where the browser cannot choose (Safari, WebKitGTK; AudioContext in
 * Firefox), and `playback_failed` when the device is gone or refused.
 */
export async function applySinkId(target: HTMLMediaElement | AudioContext, sinkId: string): Promise<void> {
  const t = target as SinkTarget
  if (typeof t.setSinkId !== 'function') {
    if (!sinkId) return // the default is where it already plays
    throw new VoiceError('not_supported', 'This browser always plays through the default speaker')
  }
  // Only when it changes: Chromium restarts the output on every call.
  if ((t as { sinkId?: unknown }).sinkId === sinkId) return
  try {
    await t.setSinkId(sinkId)
  } catch (cause) {
    throw new VoiceError('playback_failed', `Could not switch to the speaker: ${(cause as Error)?.message}`, {
      cause,
    })
  }
}
