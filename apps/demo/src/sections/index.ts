// The demo's sections, in page order. The navigation lists NAVIGATION; App renders the sections in the
// same order. A section is a <Section id title> card (Section.tsx) in a file of its own here.
export { DictateNote } from './DictateNote'
export { ReadAloud } from './ReadAloud'
export { Section } from './Section'
export { Timestamps } from './Timestamps'
export { WhatWorksHere } from './WhatWorksHere'

export interface NavEntry {
  /** The section's id (its anchor). */
  id: string
  /** Short, for the navigation bar. */
  label: string
}

/**
 * Where each section sits. Sections still to come slot in between "Read aloud" and "What works here":
 * live dictation (Dictation.tsx, id "live-dictation"), the assistant's reply (AssistantReply.tsx,
 * id "assistant-reply") and voice controls (VoiceControls.tsx, id "voice-controls").
 */
export const NAVIGATION: NavEntry[] = [
  { id: 'dictation', label: 'Dictation' },
  { id: 'read-aloud', label: 'Read aloud' },
  { id: 'timestamps', label: 'Timestamps' },
  { id: 'what-works-here', label: 'What works here' },
]
