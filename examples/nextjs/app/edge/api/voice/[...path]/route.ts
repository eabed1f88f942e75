import { voiceProxy } from '../../../../voice'

export const runtime = 'edge'
const voice = voiceProxy('/edge/api/voice')
export const POST = voice
export const OPTIONS = voice
