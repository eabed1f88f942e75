export * from './capabilities'
export * from './providers'
