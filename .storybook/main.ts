import type { StorybookConfig } from '@storybook/react-vite'
import { defaultClientConditions } from 'vite'

const config: StorybookConfig = {
  framework: '@storybook/react-vite',
  stories: ['../packages/*/src/**/*.stories.@(ts|tsx)', '../packages/*/src/**/*.mdx'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  // A project's Storybook, not a first-time tour: no onboarding checklist in the sidebar or the menu,
  // no "what's new" notifications.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
  viteFinal: (config) => ({
    ...config,
    // Stories import the packages' sources, not their builds.
    resolve: { ...config.resolve, conditions: ['@voicekit/source', ...defaultClientConditions] },
    // preview.tsx imports the a11y check to run it in the second theme: optimise it up front,
    // not on first use (a late optimisation reloads the page under a running test).
    optimizeDeps: {
      ...config.optimizeDeps,
      include: [...(config.optimizeDeps?.include ?? []), '@storybook/addon-a11y/preview'],
    },
  }),
}
export default config
