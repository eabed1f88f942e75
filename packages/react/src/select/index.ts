export { useStoreSelector } from './useStoreSelector'
