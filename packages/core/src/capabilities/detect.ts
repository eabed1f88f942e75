/**
 * What this browser can record and play, read by feature detection only: no
 * user-agent sniffing, no permission prompt, safe to call on a server (all false).
 */
export type PlaybackEngine = 'mse' | 'managed-mse' | 'webaudio' | 'blob'

export interface VoiceCapabilities {
  /** getUserMedia needs a secure context (https or localhost). */
  secureContext: boolean
  getUserMedia: boolean
  mediaRecorder: boolean
  /** Container/codec strings MediaRecorder says it can write, in preference order. */
  recordingTypes: string[]
  mediaSource: boolean
  managedMediaSource: boolean
  /** MediaSource (or ManagedMediaSource) accepts `audio/mpeg`: streamed MP3 can be appended. */
  mediaSourceMpeg: boolean
  /** The `<audio>` element can play a whole MP3 file. */
  audioElementMpeg: boolean
  webAudio: boolean
  /** AudioWorklet exists: the microphone can be read as PCM while recording. */
  audioWorklet: boolean
  /**
   * How dictation runs here: `continuous` (segments sent while speaking, any length) where
   * AudioWorklet exists, `single-file` (one upload after stop) where only MediaRecorder does, or null.
   */
  dictationMode: 'continuous' | 'single-file' | null
  /** The streaming playback engine that would be chosen for an MP3 stream here (at rate 1), or null. */
  playbackEngine: PlaybackEngine | null
}

/** Recording types worth asking MediaRecorder about, most useful first. */
export const RECORDING_TYPE_CANDIDATES = [
  'audio/webm;codecs=opus',
  'audio/webm',
  'audio/ogg;codecs=opus',
  'audio/ogg',
  'audio/mp4;codecs=mp4a.40.2',
  'audio/mp4',
  'audio/mpeg',
  'audio/wav',
] as const

interface MediaSourceLike {
  isTypeSupported(type: string): boolean
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read()
  } catch {
    return fallback
  }
}

export function detectCapabilities(): VoiceCapabilities {
  const g = globalThis as typeof globalThis & {
    MediaSource?: MediaSourceLike
    ManagedMediaSource?: MediaSourceLike
    webkitAudioContext?: unknown
    AudioWorkletNode?: unknown
  }
  const nav = typeof navigator === 'undefined' ? undefined : navigator
  const getUserMedia = typeof nav?.mediaDevices?.getUserMedia === 'function'
  const mediaRecorder = typeof g.MediaRecorder === 'function'
  const recordingTypes = mediaRecorder
    ? RECORDING_TYPE_CANDIDATES.filter((type) => safely(() => MediaRecorder.isTypeSupported(type), false))
    : []
  const mediaSource = typeof g.MediaSource === 'function'
  const managedMediaSource = typeof g.ManagedMediaSource === 'function'
  const mseMpeg = mediaSource && safely(() => g.MediaSource?.isTypeSupported('audio/mpeg') ?? false, false)
  const managedMpeg =
    managedMediaSource && safely(() => g.ManagedMediaSource?.isTypeSupported('audio/mpeg') ?? false, false)
  const webAudio = typeof g.AudioContext === 'function' || typeof g.webkitAudioContext === 'function'
  const audioElementMpeg =
    typeof document !== 'undefined' &&
    safely(() => document.createElement('audio').canPlayType('audio/mpeg') !== '', false)

  const audioWorklet = typeof g.AudioWorkletNode === 'function' && typeof g.AudioContext === 'function'
  let dictationMode: VoiceCapabilities['dictationMode'] = null
  if (getUserMedia && audioWorklet) dictationMode = 'continuous'
  else if (getUserMedia && mediaRecorder) dictationMode = 'single-file'

  // The player's default order at rate 1 (createStreamingPlayer): Web Audio starts soonest after the first byte.
  let playbackEngine: PlaybackEngine | null = null
  if (typeof g.AudioContext === 'function') playbackEngine = 'webaudio'
  else if (mseMpeg) playbackEngine = 'mse'
  else if (managedMpeg) playbackEngine = 'managed-mse'
  else if (audioElementMpeg) playbackEngine = 'blob'

  return {
    secureContext: typeof g.isSecureContext === 'boolean' ? g.isSecureContext : false,
    getUserMedia,
    mediaRecorder,
    recordingTypes,
    mediaSource,
    managedMediaSource,
    mediaSourceMpeg: mseMpeg || managedMpeg,
    audioElementMpeg,
    webAudio,
    audioWorklet,
    dictationMode,
    playbackEngine,
  }
}
