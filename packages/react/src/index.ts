export * from './capabilities'
export * from './provider'
export * from './transcribe'
