export type { UseBargeInOptions, UseBargeInResult } from './useBargeIn'
export { useBargeIn } from './useBargeIn'
