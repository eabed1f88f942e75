// The test projects. File names choose where a test runs:
//   *.test.ts            unit      Node
//   *.dom.test.tsx       dom       jsdom + @testing-library/react
//   *.browser.test.ts(x) chromium, firefox, webkit — the same file in all three engines
//   *.e2e.test.ts        e2e       Node driving a real browser against a real server
//   *.stories.tsx        storybook every story, with axe, in Chromium
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'
import { chromiumProvider, firefoxProvider, webkitProvider } from './test/browser/providers.ts'
import { storybookProject } from './test/browser/storybook.ts'
import { VOICE_BASE_PATH, voiceTestBackend } from './test/browser/voice-backend.ts'

const sourceCondition = '@voicekit/source'
const shared = {
  plugins: [react()],
  resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
  ssr: {
    resolve: { conditions: [sourceCondition, ...defaultServerConditions], externalConditions: [sourceCondition] },
  },
}
const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url))
const sources = ['packages/*/src/**', 'apps/*/src/**', 'apps/*/test/**', 'scripts/**', 'test/**']
const inSources = (pattern: string) => sources.map((dir) => `${dir}/${pattern}`)
const notHere = ['**/node_modules/**', '**/dist/**']

const fixtureMicrophone = fileURLToPath(new URL('./test/browser/fixture-microphone.ts', import.meta.url))
const voiceBackend = fileURLToPath(new URL('./test/browser/voice-backend.ts', import.meta.url))

function browserProject(name: 'chromium' | 'firefox' | 'webkit', provider: ReturnType<typeof chromiumProvider>) {
  return {
    ...shared,
    plugins: [...shared.plugins, voiceTestBackend()],
    // Optimised up front: discovering them mid-run makes Vite reload a test page, and a
    // page reloaded that way can end up with two copies of React.
    optimizeDeps: {
      include: [
        'react',
        'react-dom',
        'react-dom/client',
        'react/jsx-dev-runtime',
        '@testing-library/react',
        '@tanstack/react-query',
      ],
    },
    test: {
      name,
      include: inSources('*.browser.test.{ts,tsx}'),
      exclude: notHere,
      testTimeout: 30_000,
      // Chromium's fake device plays the fixture itself; the others get it swapped in.
      setupFiles: name === 'chromium' ? [] : [fixtureMicrophone],
      globalSetup: [voiceBackend],
      provide: { fixturesUrl: `/@fs${fixtures}`, voiceBaseUrl: VOICE_BASE_PATH },
      browser: {
        enabled: true,
        headless: true,
        provider,
        instances: [{ browser: name }],
        screenshotFailures: false,
      },
    },
  }
}

// The React and UI browser suites again, in Chromium, on React 18.3 (the oldest React the packages
// support; React 19 stays the default). react-18 and react-dom-18 are npm aliases of 18.3.
function react18Project() {
  const chromium = browserProject(
    'chromium',
    chromiumProvider({ fakeMicrophone: `${fixtures}/speech/kitchen-lights.wav` }),
  )
  return {
    ...chromium,
    resolve: {
      ...chromium.resolve,
      alias: [
        { find: /^react-dom(\/.*)?$/, replacement: 'react-dom-18$1' },
        { find: /^react(\/.*)?$/, replacement: 'react-18$1' },
      ],
    },
    test: {
      ...chromium.test,
      name: 'chromium-react18',
      include: ['packages/react/src/**/*.browser.test.{ts,tsx}', 'packages/ui/src/**/*.browser.test.{ts,tsx}'],
      setupFiles: [fileURLToPath(new URL('./test/react18/setup.ts', import.meta.url))],
    },
  }
}

export default defineConfig({
  server: { fs: { allow: ['.'] } },
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          environment: 'node',
          include: inSources('*.test.{ts,tsx}'),
          exclude: [...notHere, '**/*.dom.test.*', '**/*.browser.test.*', '**/*.e2e.test.*'],
          testTimeout: 20_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: inSources('*.dom.test.{ts,tsx}'),
          exclude: notHere,
        },
      },
      browserProject('chromium', chromiumProvider({ fakeMicrophone: `${fixtures}/speech/kitchen-lights.wav` })),
      browserProject('firefox', firefoxProvider()),
      browserProject('webkit', webkitProvider()),
      react18Project(),
      {
        ...shared,
        test: {
          name: 'e2e',
          environment: 'node',
          include: inSources('*.e2e.test.ts'),
          exclude: notHere,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      storybookProject(),
    ],
  },
})
