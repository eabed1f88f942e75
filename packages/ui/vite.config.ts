import { libraryConfig } from '../../scripts/library-config'

export default libraryConfig(import.meta.dirname)
