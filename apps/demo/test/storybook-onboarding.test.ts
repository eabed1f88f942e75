// Storybook opens on the stories, not on its first-time onboarding checklist.
import { expect, test } from 'vitest'
import config from '../../../.storybook/main.ts'

test('no onboarding checklist (sidebar or menu) and no what-is-new notifications', () => {
  expect(config.features).toMatchObject({ sidebarOnboardingChecklist: false, menuOnboardingChecklist: false })
  expect(config.core).toMatchObject({ disableWhatsNewNotifications: true })
})
