// @voicekit/react: every name the package offers, listed (folders keep their internals to themselves).
export { clearSpeechCache } from '@voicekit/core'
export type { AudioPlayerController, UseAudioPlayerOptions, UseAudioPlayerResult } from './audio-player'
export { useAudioPlayer } from './audio-player'
export type { UseBargeInOptions, UseBargeInResult } from './barge-in'
export { useBargeIn } from './barge-in'
export { useVoiceCapabilities } from './capabilities'
export type { UseAudioDevicesOptions, UseAudioDevicesResult } from './devices'
export { sharedAudioDevices, useAudioDevices, useOutputLevel } from './devices'
export type { UseDictationOptions, UseDictationResult } from './dictation'
export { useDictation } from './dictation'
export type { AudioLevelTarget } from './level'
export { useAudioLevel } from './level'
export type { MicButtonAttributes, MicButtonController, UseMicButtonOptions, UseMicButtonResult } from './mic-button'
export { useMicButton } from './mic-button'
export type { MicrophonePermission } from './permission'
export { useMicrophonePermission } from './permission'
export type { UseStreamingPlayerResult } from './player'
export { useStreamingPlayer } from './player'
export type { PlayheadPlayer, PlayheadSpan } from './playhead'
export { usePlayhead } from './playhead'
export type {
  TransportByIdProps,
  TransportProps,
  VoiceContextValue,
  VoiceProviderBaseProps,
  VoiceProviderProps,
} from './provider'
export { useVoiceContext, VoiceProvider } from './provider'
export type { UseRecorderResult } from './recorder'
export { useRecorder } from './recorder'
export { useStoreSelector } from './select'
export type { SpeakInput, SpeakRequest, UseSpeakOptions, UseSpeakResult } from './speak'
export { useSpeak } from './speak'
export type {
  SpeakButtonAction,
  SpeakButtonController,
  UseSpeakButtonOptions,
  UseSpeakButtonResult,
} from './speak-button'
export { useSpeakButton } from './speak-button'
export type { TranscribeStatus, UseTranscribeOptions, UseTranscribeResult } from './transcribe'
export { useTranscribe } from './transcribe'
