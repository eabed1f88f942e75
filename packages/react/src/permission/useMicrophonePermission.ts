import { useEffect, useState } from 'react'

/** The microphone permission as the Permissions API reports it; `unknown` where it cannot say. */
export type MicrophonePermission = 'granted' | 'denied' | 'prompt' | 'unknown'

/**
 * The microphone permission, followed live (`change` events), read only after mount: nothing on a
 * server, and `unknown` in browsers whose Permissions API does not know the microphone.
 */
export function useMicrophonePermission(): MicrophonePermission {
  const [state, setState] = useState<MicrophonePermission>('unknown')
  useEffect(() => {
    let status: PermissionStatus | undefined
    let gone = false
    const update = () => {
      if (!gone && status) setState(status.state)
    }
    const query = globalThis.navigator?.permissions?.query
    if (typeof query !== 'function') return
    query
      .call(navigator.permissions, { name: 'microphone' as PermissionName })
      .then((answer) => {
        status = answer
        update()
        answer.addEventListener('change', update)
      })
      .catch(() => {}) // e.g. a browser that does not know the 'microphone' name: unknown
    return () => {
      gone = true
      status?.removeEventListener('change', update)
    }
  }, [])
  return state
}
