// The demo's sections, in page order. The navigation lists NAVIGATION; App renders the sections in the
// same order. A section is a <Section id title> card (Section.tsx) in a file of its own here.
export { AssistantReply } from './AssistantReply'
export { DictateNote } from './DictateNote'
export { ReadAloud } from './ReadAloud'
export { Section } from './Section'
export { Timestamps } from './Timestamps'
export { VoiceControls } from './VoiceControls'
export { WhatWorksHere } from './WhatWorksHere'

export interface NavEntry {
  /** The section's id (its anchor). */
  id: string
  /** Short, for the navigation bar. */
  label: string
}

/** Where each section sits, in page order. */
export const NAVIGATION: NavEntry[] = [
  { id: 'dictation', label: 'Dictation' },
  { id: 'read-aloud', label: 'Read aloud' },
  { id: 'assistant-reply', label: 'Assistant reply' },
  { id: 'timestamps', label: 'Timestamps' },
  { id: 'voice-controls', label: 'Devices & push-to-talk' },
  { id: 'what-works-here', label: 'What works here' },
]
