import type { Preview } from '@storybook/react-vite'
import '../packages/ui/src/styles.css'

const preview: Preview = {
  parameters: {
    // Any axe violation fails the story's test.
    a11y: { test: 'error' },
  },
  tags: ['autodocs'],
}
export default preview
