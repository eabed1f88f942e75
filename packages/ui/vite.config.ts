import { libraryConfig } from '../../scripts/library-config'
import { clientEntries } from '../react/vite.config'

// Every entry ('.', './voice-controls') starts with 'use client': see clientEntries.
const config = libraryConfig(import.meta.dirname)
export default { ...config, plugins: [...(config.plugins ?? []), clientEntries()] }
