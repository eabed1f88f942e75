// The demo's layout defects a newcomer met, each measured in every engine on the demo's own components
// and stylesheets: the dictation field shrank when Cancel appeared, disabled provider radios all but
// vanished in the dark theme, provider hints broke mid-phrase, and the page's startup data, arriving
// late on a loaded machine, pushed the read-aloud player down after it was shown.
import '@voicekit/ui/styles.css'
import './demo.css'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import { createDifyTransport, providerDescriptors, type SavedDictation } from '@voicekit/core'
import { VoiceProvider } from '@voicekit/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, inject, test } from 'vitest'
import { server } from 'vitest/browser'
import { App } from './App'
import { ProviderSwitcher } from './ProviderSwitcher'
import type { DemoConfig } from './providers'
import { DictateNote } from './sections'
import { readEngines } from './speech-engines'
import type { DemoSources } from './startup'

const browser = server.browser

/** The page as the demo lays it out, at the width of its column on a desktop screen (the `.demo` maximum). */
function Page({ children }: { children: ReactNode }) {
  return (
    <div style={{ width: '60rem' }}>
      <main className="demo">{children}</main>
    </div>
  )
}

/** Every real provider without a key (as on a fresh clone), and one with a key. */
const config: DemoConfig = {
  providers: Object.values(providerDescriptors).map((descriptor, i) => ({
    name: descriptor.id,
    label: descriptor.name,
    configured: i === 0,
    env: descriptor.env?.apiKey ?? `${descriptor.id.toUpperCase()}_API_KEY`,
  })),
}

const setTheme = (theme: 'light' | 'dark') => {
  document.documentElement.classList.toggle('vk-theme-dark', theme === 'dark')
  document.documentElement.classList.toggle('vk-theme-light', theme === 'light')
}

afterEach(() => {
  document.documentElement.classList.remove('vk-theme-dark', 'vk-theme-light')
  document.documentElement.style.colorScheme = ''
  localStorage.removeItem('voicekit-demo-theme')
})

/** An answer the test gives when it chooses; `asked` once the page has asked for it. */
function held<T>() {
  let release!: (value: T) => void
  const answer = new Promise<T>((resolve) => {
    release = resolve
  })
  const source = {
    asked: false,
    release,
    load: () => {
      source.asked = true
      return answer
    },
  }
  return source
}

/** Every position `element()` takes on the page (its top from the document's top) after each change to `root`. */
function recordTops(root: Element, element: () => Element | null) {
  const tops: number[] = []
  const sample = () => {
    const found = element()
    if (found) tops.push(found.getBoundingClientRect().top + window.scrollY)
  }
  const observer = new MutationObserver(sample)
  observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true })
  return {
    tops,
    stop() {
      sample()
      observer.disconnect()
    },
  }
}

/** [r, g, b, alpha] of a computed colour (`rgb(…)` / `rgba(…)`; every colour the demo uses computes to one). */
function rgba(color: string): [number, number, number, number] {
  const parts = color
    .match(/^rgba?\(([^)]+)\)$/)?.[1]
    ?.split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number)
  if (!parts || parts.length < 3 || parts.some(Number.isNaN)) throw new Error(`Not an rgb() colour: ${color}`)
  return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1]
}

/** What is painted behind an element: the first ancestor background that is not transparent. */
function backdrop(element: Element): [number, number, number] {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const [r, g, b, a] = rgba(getComputedStyle(node).backgroundColor)
    if (a === 1) return [r, g, b]
    if (a > 0) throw new Error(`A translucent background behind the element: ${getComputedStyle(node).backgroundColor}`)
  }
  return [255, 255, 255]
}

/** WCAG 2 contrast ratio of two opaque colours. */
function contrast(a: readonly number[], b: readonly number[]): number {
  const luminance = ([r, g, b]: readonly number[]) => {
    const [R, G, B] = [r!, g!, b!].map((c) => {
      const s = c / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

/** The line each character of `element`'s text is drawn on (its top, in px), in text order. */
function linesOf(element: Element): { char: string; top: number }[] {
  const out: { char: string; top: number }[] = []
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  const range = document.createRange()
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? ''
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i)
      range.setEnd(node, i + 1)
      const rect = range.getClientRects()[0]
      out.push({ char: text[i]!, top: rect ? rect.top : Number.NaN })
    }
  }
  return out
}

describe(`demo layout in ${browser}`, () => {
  test('the dictation field keeps its width and place when Cancel appears, and spans the card', async () => {
    const transport = createDifyTransport({ baseUrl: `${inject('voiceBaseUrl')}/dify` })
    const view = render(
      <QueryClientProvider client={new QueryClient()}>
        <VoiceProvider transport={transport}>
          <Page>
            <DictateNote engines={null} />
          </Page>
        </VoiceProvider>
      </QueryClientProvider>,
    )
    const card = view.container.querySelector('#dictation')!
    const field = view.getByRole('textbox', { name: 'Note' })
    const mic = view.getByRole('button', { name: 'Dictate' })
    // Relative to the card: the frame may scroll (the page is wider than the test's viewport).
    const box = (element: Element) => {
      const { left, top, width, height } = element.getBoundingClientRect()
      const origin = card.getBoundingClientRect()
      return { left: left - origin.left, top: top - origin.top, width, height }
    }
    const before = { field: box(field), mic: box(mic) }
    // The field takes the card's width (it once took two-thirds of it), less the microphone and Cancel's place.
    const inner = card.getBoundingClientRect().width
    expect(before.field.width).toBeGreaterThan(inner * 0.75)

    mic.click()
    // Wait for the event, however long the microphone takes to open on a loaded machine.
    const cancel = await view.findByRole('button', { name: 'Cancel' }, { timeout: 20_000 })
    expect(mic.getAttribute('aria-pressed')).toBe('true')
    const during = { field: box(field), mic: box(mic), cancel: box(cancel) }
    expect(during.field).toEqual(before.field)
    expect(during.mic).toEqual(before.mic)
    // Cancel sits in the room kept for it, beside the microphone, not over the field.
    expect(during.cancel.width).toBeGreaterThan(0)
    expect(during.cancel.left).toBeGreaterThanOrEqual(during.mic.left + during.mic.width)
    expect(during.field.left + during.field.width).toBeLessThanOrEqual(during.mic.left)

    cancel.click()
    await view.findByRole('button', { name: 'Dictate' })
    await expect.poll(() => view.queryByRole('button', { name: 'Cancel' })).toBeNull()
    expect(box(field)).toEqual(before.field)
    view.unmount()
  })

  test('the startup data arriving late (keys, engines, a saved dictation) never moves the read-aloud player', async () => {
    const sources = {
      config: held<DemoConfig>(),
      engines: held<ReturnType<typeof readEngines>>(),
      savedDictations: held<SavedDictation[]>(),
    }
    const load: DemoSources = {
      config: sources.config.load,
      engines: sources.engines.load,
      savedDictations: sources.savedDictations.load,
    }
    const view = render(
      <QueryClientProvider client={new QueryClient()}>
        <div style={{ width: '60rem' }}>
          <App sources={load} />
        </div>
      </QueryClientProvider>,
    )
    const player = () => view.container.querySelector('#read-aloud .vk-player')
    const record = recordTops(view.container, player)
    await expect.poll(() => Object.values(sources).every((source) => source.asked)).toBe(true)
    // The page has shown all it shows without the answers: its player, or that it is still loading.
    await expect.poll(() => !!player() || !!screen.queryByText('Loading the demo…'), { timeout: 10_000 }).toBe(true)
    // The order a loaded machine gave: the keys, a saved dictation from IndexedDB, the engine report last.
    sources.config.release(config)
    const second = 16_000
    sources.savedDictations.release([
      {
        id: 'kept',
        savedAt: 1,
        seconds: 2,
        text: '',
        segments: [{ index: 0, start: 0, samples: new Float32Array(2 * second) }],
      },
    ])
    sources.engines.release(readEngines({ routes: [], tts: true, stt: true, decoder: true }, { root: true }))
    await view.findByText(/every engine is ready/, {}, { timeout: 10_000 })
    await view.findByText(/A dictation of 2 s was not transcribed/)
    expect(view.getByRole('radio', { name: /Dify/ })).toBeTruthy()
    await view.findByRole('button', { name: 'Read aloud' })
    expect(view.container.querySelector('main')!.getAttribute('aria-busy')).toBe('false')
    record.stop()
    expect(record.tops.length).toBeGreaterThan(0)
    const moved = record.tops.map((top) => Math.round((top - record.tops[0]!) * 100) / 100)
    expect(new Set(moved), `the player's top, relative to where it was first shown: ${moved}`).toEqual(new Set([0]))
    view.unmount()
  })

  test('the saved-dictation offer says in words what it holds: the text already transcribed, the seconds still to send', () => {
    const transport = createDifyTransport({ baseUrl: `${inject('voiceBaseUrl')}/dify` })
    const second = 16_000
    const said = 'please turn on the kitchen lights'
    const text = { index: 0, start: 0, end: 2 * second, text: said, segments: [] }
    const audio = { index: 1, start: 3 * second, samples: new Float32Array(3.4 * second) }
    const cases: [SavedDictation, string][] = [
      [
        { id: 'audio', savedAt: 1, seconds: 3.4, text: '', segments: [audio] },
        'A dictation of 3 s was not transcribed before the page closed. Transcribe it Discard',
      ],
      [
        { id: 'both', savedAt: 1, seconds: 3.4, text: said, segments: [text, audio] },
        `A dictation was cut off when the page closed. Transcribed: ${said} and 3 s still to transcribe. Transcribe the rest Discard`,
      ],
      [
        { id: 'text', savedAt: 1, seconds: 0, text: said, segments: [text] },
        `A dictation was cut off when the page closed, all of it transcribed: ${said}. Restore it Discard`,
      ],
    ]
    for (const [saved, words] of cases) {
      const view = render(
        <QueryClientProvider client={new QueryClient()}>
          <VoiceProvider transport={transport}>
            <Page>
              <DictateNote engines={null} saved={saved} />
            </Page>
          </VoiceProvider>
        </QueryClientProvider>,
      )
      const offer = view.getByTestId('saved-dictation')
      expect(offer.textContent!.replace(/\s+/g, ' ').trim(), saved.id).toBe(words)
      // The transcribed text is quoted as the person saw it.
      expect(offer.querySelector('q')?.textContent ?? '', saved.id).toBe(saved.text)
      view.unmount()
    }
  })

  test('in the dark theme a disabled provider radio is plainly visible, and unlike an enabled one', () => {
    setTheme('dark')
    const view = render(
      <Page>
        <section className="demo-hero">
          <ProviderSwitcher value="local" onChange={() => {}} config={config} />
        </section>
      </Page>,
    )
    const radios = view.getAllByRole('radio') as HTMLInputElement[]
    const disabled = radios.filter((radio) => radio.disabled)
    const enabled = radios.filter((radio) => !radio.disabled && !radio.checked)
    expect(disabled.length).toBeGreaterThan(0)
    expect(enabled.length).toBeGreaterThan(0)
    // The theme is applied: the page is dark.
    const page = backdrop(view.container)
    expect(contrast(page, [0, 0, 0])).toBeLessThan(2)
    for (const radio of disabled) {
      const style = getComputedStyle(radio)
      // Drawn by the page's stylesheet, so that what is measured here is what is on screen (the browser's
      // own disabled radio was near-black on the dark page).
      expect(style.appearance).toBe('none')
      expect(Number.parseFloat(style.borderTopWidth)).toBeGreaterThanOrEqual(1.5)
      expect(style.borderTopStyle).not.toBe('none')
      const ring = rgba(style.borderTopColor)
      expect(ring[3]).toBe(1)
      // WCAG 1.4.11: a control's outline ≥ 3:1 against what is behind it.
      expect(contrast(ring, backdrop(radio))).toBeGreaterThanOrEqual(3)
      // Its name and hint are text: ≥ 4.5:1.
      const label = radio.closest('label')!
      for (const text of label.querySelectorAll('.demo-choice__name, .demo-hint')) {
        const color = rgba(getComputedStyle(text).color)
        expect(contrast(color, backdrop(text)), text.textContent!).toBeGreaterThanOrEqual(4.5)
      }
      // Disabled is told apart by more than colour: its ring is drawn differently, and the hint says why.
      expect(style.borderTopStyle).not.toBe(getComputedStyle(enabled[0]!).borderTopStyle)
      expect(label.querySelector('.demo-hint')!.textContent).toMatch(/set \w+ in \.env, then restart pnpm dev/)
    }
    view.unmount()
  })

  test.each(['light', 'dark'] as const)(
    'provider hints break only between phrases, never inside one (%s theme)',
    (theme) => {
      setTheme(theme)
      const view = render(
        <Page>
          <section className="demo-hero">
            <ProviderSwitcher value="local" onChange={() => {}} config={config} />
          </section>
        </Page>,
      )
      const hints = [...view.container.querySelectorAll('.demo-providers .demo-hint')]
      expect(hints.length).toBe(config.providers.length + 1)
      for (const hint of hints) {
        const chars = linesOf(hint)
        const text = chars.map((c) => c.char).join('')
        expect(text).toBe(hint.textContent)
        const lineHeight = Number.parseFloat(getComputedStyle(hint).lineHeight) || 16
        // The phrases a reader takes in at once: "set OPENAI_API_KEY in .env," / "then restart pnpm dev".
        let start = 0
        const phrases: { char: string; top: number }[][] = []
        for (const match of text.matchAll(/,\s+/g)) {
          phrases.push(chars.slice(start, match.index! + 1))
          start = match.index! + match[0].length
        }
        phrases.push(chars.slice(start))
        for (const phrase of phrases) {
          const drawn = phrase.filter((c) => c.char.trim())
          const words = phrase
            .map((c) => c.char)
            .join('')
            .trim()
          expect(
            drawn.every((c) => Number.isFinite(c.top)),
            words,
          ).toBe(true)
          const tops = drawn.map((c) => c.top)
          // One line: every character within half a line of the first.
          expect(Math.max(...tops) - Math.min(...tops), `"${words}" is broken across lines`).toBeLessThan(
            lineHeight / 2,
          )
        }
        // And the whole hint is at most one line per phrase.
        const tops = chars.filter((c) => c.char.trim()).map((c) => c.top)
        const lines = tops.sort((a, b) => a - b).filter((top, i) => i === 0 || top - tops[i - 1]! >= lineHeight / 2)
        expect(lines.length).toBeLessThanOrEqual(phrases.length)
      }
      view.unmount()
    },
  )
})
