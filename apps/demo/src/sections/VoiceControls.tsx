// Devices, push-to-talk, barge-in, the visualizer and a transcript that lights up as it plays.
// Mount it inside the VoiceProvider: <VoiceControls transport={transports.data.timestamps} />.
import type { BargeInMode, SpeechTransport } from '@voicekit/core'
import { useAudioDevices, useBargeIn, useOutputLevel, useSpeak, useTranscribe } from '@voicekit/react'
import { MicButton, SpeakButton, TranscriptView } from '@voicekit/ui'
import { DeviceSelect, Waveform } from '@voicekit/ui/voice-controls'
import { useEffect, useState } from 'react'
import { Section } from './Section'

const REPLY =
  'Here is a long answer from the assistant. Start talking at any time: press and hold the microphone, ' +
  'and the reply stops, or gets quieter, so that you can be heard.'

export function VoiceControls({ transport }: { transport: SpeechTransport }) {
  const [mode, setMode] = useState<Exclude<BargeInMode, false>>('stop')
  const speaker = useSpeak({ interrupt: true })
  const devices = useAudioDevices({ player: speaker.player })
  const transcribe = useTranscribe({ transport, deviceId: devices.microphoneId, timestamps: 'word' })
  useBargeIn(speaker.player, transcribe.status === 'recording', { mode })
  const playbackLevel = useOutputLevel(speaker.player)
  const [media, setMedia] = useState<HTMLAudioElement | null>(null)
  const [url, setUrl] = useState<string>()
  const { recording } = transcribe
  useEffect(() => {
    if (!recording) return
    const next = URL.createObjectURL(recording.blob)
    setUrl(next)
    return () => URL.revokeObjectURL(next)
  }, [recording])

  return (
    <Section
      id="voice-controls"
      title="Devices, push-to-talk and barge-in"
      uses="useAudioDevices · useMicButton · useBargeIn · <Waveform> · <TranscriptView>"
    >
      <div className="demo-row">
        <DeviceSelect kind="microphone" devices={devices} />
        <DeviceSelect kind="speaker" devices={devices} />
      </div>

      <p className="demo-lead">
        Play the reply, then hold the microphone (or Space on it) to talk over it: the reply{' '}
        {mode === 'stop' ? 'stops' : 'gets quieter until you let go'}.
      </p>
      <fieldset className="demo-row">
        <legend>When you start talking</legend>
        <label>
          <input type="radio" name="barge" checked={mode === 'stop'} onChange={() => setMode('stop')} /> stop the reply
        </label>
        <label>
          <input type="radio" name="barge" checked={mode === 'duck'} onChange={() => setMode('duck')} /> make it quieter
        </label>
      </fieldset>
      <div className="demo-row">
        <SpeakButton text={REPLY} speaker={speaker} labels={{ speak: 'Play the reply' }} />
        <Waveform source={playbackLevel} label="Reply level" />
      </div>
      <div className="demo-row">
        <MicButton transcribe={transcribe} mode="hold" labels={{ mic: 'Hold to talk' }} />
        <Waveform source={transcribe.level} label="Microphone level" />
      </div>

      {url && (
        // biome-ignore lint/a11y/useMediaCaption: the transcript below is the text alternative
        <audio ref={setMedia} src={url} controls aria-label="Your recording" />
      )}
      <TranscriptView transcript={transcribe.transcript} media={media} />
    </Section>
  )
}
