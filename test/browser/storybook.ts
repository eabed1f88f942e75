// Every story in .storybook's globs runs as a test in Chromium; addon-a11y runs axe
// on each and fails the test on any violation (see .storybook/preview.tsx).
import { fileURLToPath } from 'node:url'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { chromiumProvider } from './providers.ts'

export function storybookProject() {
  const fixtures = fileURLToPath(new URL('../../fixtures', import.meta.url))
  return {
    plugins: [storybookTest({ configDir: fileURLToPath(new URL('../../.storybook', import.meta.url)) })],
    test: {
      name: 'storybook',
      // Play functions record real speech and wait for fake-provider latency; the machine is shared.
      testTimeout: 60_000,
      browser: {
        enabled: true,
        headless: true,
        provider: chromiumProvider({ fakeMicrophone: `${fixtures}/speech/kitchen-lights.wav` }),
        instances: [{ browser: 'chromium' as const }],
        screenshotFailures: false,
      },
    },
  }
}
