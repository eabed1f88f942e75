export type { UseRecorderResult } from './useRecorder'
export { useRecorder } from './useRecorder'
