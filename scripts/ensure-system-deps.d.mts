// Types of ensure-system-deps.mjs, for its test.
export interface SpeechEngine {
  use: string
  packages: string[]
  program: string
  file?: string
}
export const SPEECH_ENGINES: SpeechEngine[]
export const DEMO_PACKAGES: string[]
export const DEBIAN_PACKAGES: string[]
export function installCommand(packages: string[], root: boolean): string
export function findProgram(nameOrPath: string, path?: string): string | undefined
export function missingEngines(path?: string): SpeechEngine[]
export function demoAdvice(missing: SpeechEngine[], options: { root: boolean; debian?: boolean; path?: string }): string
