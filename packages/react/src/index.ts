export * from './capabilities'
export * from './provider'
