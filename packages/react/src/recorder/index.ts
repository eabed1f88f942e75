export type { UseRecorderResult, UseRecorderStatus } from './useRecorder'
export { useRecorder } from './useRecorder'
