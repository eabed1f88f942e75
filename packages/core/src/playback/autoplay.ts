// Autoplay policy: audio may start only inside a user gesture (or after one, depending on the browser).

/** The refusal `audio.play()` or `AudioContext.resume()` gives outside a user gesture. */
export const isNotAllowed = (error: unknown) => (error as Error | undefined)?.name === 'NotAllowedError'

/** Runs `fn` inside the next click or key press anywhere in the page, where audio may start; returns the remover. */
export function onNextGesture(fn: () => void): () => void {
  const types = ['click', 'keydown']
  const off = () => {
    for (const type of types) document.removeEventListener(type, handle, true)
  }
  const handle = () => {
    off()
    fn()
  }
  for (const type of types) document.addEventListener(type, handle, true)
  return off
}
