// The chromium-react18 project runs the React and UI browser suites on React 18.3 (installed as
// react-18 and react-dom-18, aliased in vitest.config.ts): this makes sure the alias took.
import { version } from 'react'
import { version as domVersion } from 'react-dom'

if (!version.startsWith('18.3') || !domVersion.startsWith('18.3'))
  throw new Error(`chromium-react18 runs on React ${version} / react-dom ${domVersion}, not 18.3`)
