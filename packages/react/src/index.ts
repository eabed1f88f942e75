export * from './capabilities'
export * from './provider'
export * from './speak'
export * from './transcribe'
