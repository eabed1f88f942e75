import { afterEach as checkAccessibility } from '@storybook/addon-a11y/preview'
import type { Decorator, Preview } from '@storybook/react-vite'
import '../packages/ui/src/styles.css'

type Theme = 'light' | 'dark'
const other = (theme: Theme): Theme => (theme === 'dark' ? 'light' : 'dark')

/** Every story renders inside a theme wrapper painted with that theme's background. */
const withTheme: Decorator = (Story, { globals }) => {
  const theme: Theme = globals.theme === 'dark' ? 'dark' : 'light'
  return (
    <div
      data-vk-theme={theme}
      className={`vk-theme-${theme}`}
      style={{ background: 'var(--vk-bg)', color: 'var(--vk-fg)', padding: '1rem', minHeight: '6rem' }}
    >
      <Story />
    </div>
  )
}

const preview: Preview = {
  parameters: {
    // Any axe violation fails the story's test.
    a11y: { test: 'error' },
  },
  globalTypes: {
    theme: {
      description: 'voicekit theme (.vk-theme-light / .vk-theme-dark)',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  decorators: [withTheme],
  tags: ['autodocs'],
  /**
   * Axe in both themes. addon-a11y checks the story as rendered (after its play function);
   * in test runs this then switches the wrapper to the other theme, in place (the story keeps
   * the state its play function drove it to), and runs the same check again.
   */
  afterEach: async (context) => {
    if (!import.meta.env.VITEST_STORYBOOK || context.viewMode !== 'story') return
    const wrapper = context.canvasElement.querySelector<HTMLElement>('[data-vk-theme]')
    if (!wrapper) return
    const theme = wrapper.dataset.vkTheme as Theme
    wrapper.className = `vk-theme-${other(theme)}`
    try {
      await checkAccessibility(context)
    } finally {
      wrapper.className = `vk-theme-${theme}`
    }
  },
}
export default preview
