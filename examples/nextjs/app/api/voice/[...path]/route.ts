import { voiceProxy } from '../../../voice'

const voice = voiceProxy('/api/voice')
export const POST = voice
export const OPTIONS = voice
