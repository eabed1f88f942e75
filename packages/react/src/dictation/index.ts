export { type UseDictationOptions, type UseDictationResult, useDictation } from './useDictation'
