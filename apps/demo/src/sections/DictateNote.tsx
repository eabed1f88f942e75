import type { SavedDictation, SpeechTransport, VoiceError } from '@voicekit/core'
import { VoiceInput } from '@voicekit/ui'
import { useEffect, useRef, useState } from 'react'
import type { EngineReport } from '../speech-engines'
import { SavedDictationOffer } from './Dictation'
import { EngineNotice, missingEngines } from './EngineNotice'
import { providerDetail } from './errors'
import { Section } from './Section'

/** Dictation into a note: the first thing a visitor tries, so it comes first. */
export function DictateNote({
  engines,
  saved = null,
  transport,
}: {
  engines: EngineReport | null | undefined
  /** A dictation kept from a page closed mid-dictation, offered for transcription. */
  saved?: SavedDictation | null
  /** Real time where it streams (words as they are spoken), else segments at each pause. */
  transport?: SpeechTransport
}) {
  const [error, setError] = useState<VoiceError | null>(null)
  const realtime = Boolean(transport?.openTranscriptionStream)
  const { box, firstWordsMs, speechStarted } = useFirstWordsTime()
  const notSetUp = missingEngines(engines, ['stt']).length > 0
  const detail = providerDetail(error)
  return (
    <Section
      id="dictation"
      title="Dictation"
      uses={realtime ? '<VoiceInput continuous> · real time' : '<VoiceInput continuous>'}
      lead={
        realtime
          ? 'Press the microphone (or Space on it) and speak as long as you like: the words you are saying show under the note as you say them, and go into the note once final. One undo takes the whole dictation back.'
          : 'Press the microphone (or Space on it) and speak as long as you like: the text appears at each pause, while you are still speaking. One undo takes the whole dictation back.'
      }
    >
      <EngineNotice report={engines} needs={['stt']} feature="Dictation" id="dictation-notice" />
      <div ref={box}>
        <VoiceInput
          className="demo-note"
          multiline
          rows={4}
          aria-label="Note"
          placeholder="Type, or dictate…"
          labels={{
            time: '{elapsed} recorded · stops by itself in {remaining}',
            ...(notSetUp && { error: 'Dictation is not set up on this computer yet: see the note above.' }),
          }}
          options={{ ...(transport && { transport }), onError: setError, onTranscript: () => setError(null) }}
          continuous={{ persist: true, onSpeechStart: speechStarted }}
        />
      </div>
      {realtime && (
        <dl className="demo-stats" aria-label="Dictation figures">
          <div>
            <dt>Speech → first words on screen</dt>
            <dd data-testid="speech-to-words">{firstWordsMs === null ? '—' : `${Math.round(firstWordsMs)} ms`}</dd>
          </div>
        </dl>
      )}
      <SavedDictationOffer found={saved} />
      {detail && !notSetUp && (
        <p className="demo-detail" data-testid="dictation-detail">
          {detail}
        </p>
      )}
    </Section>
  )
}

/**
 * The time from speech starting (the dictation's segmenter hears it) to its first words on screen (the
 * interim line under the field), for the latest utterance.
 */
function useFirstWordsTime() {
  const box = useRef<HTMLDivElement>(null)
  const startedAt = useRef<number | null>(null)
  const [firstWordsMs, setFirstWordsMs] = useState<number | null>(null)
  useEffect(() => {
    const node = box.current
    if (!node) return
    const observer = new MutationObserver(() => {
      if (startedAt.current === null) return
      if (node.querySelector('.vk-voice-input__interim-text')?.textContent) {
        setFirstWordsMs(performance.now() - startedAt.current)
        startedAt.current = null
      }
    })
    observer.observe(node, { subtree: true, childList: true, characterData: true })
    return () => observer.disconnect()
  }, [])
  const speechStarted = () => {
    startedAt.current = performance.now()
  }
  return { box, firstWordsMs, speechStarted }
}
