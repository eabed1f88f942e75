import { render, screen } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { expect, test } from 'vitest'
import { useVoiceCapabilities } from './useVoiceCapabilities'

function Probe() {
  const caps = useVoiceCapabilities()
  return <output>{caps === null ? 'pending' : `recorder:${caps.mediaRecorder}`}</output>
}

test('server rendering gets null instead of touching browser APIs', () => {
  expect(renderToString(<Probe />)).toContain('pending')
})

test('in a DOM without MediaRecorder the hook reports it missing', () => {
  render(<Probe />)
  expect(screen.getByRole('status').textContent).toBe('recorder:false')
})
