export * from './capabilities'
