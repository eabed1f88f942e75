// A Fetch Response written to a Node ServerResponse, with backpressure; its body is cancelled if the
// client goes away, and a body that fails half-way cuts the connection (the client sees an error).
import type { ServerResponse } from 'node:http'

export async function send(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue
    res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  if (!response.body) {
    res.end()
    return
  }
  res.flushHeaders()
  const reader = response.body.getReader()
  const onClose = () => {
    if (!res.writableFinished) reader.cancel(new Error('the client went away')).catch(() => {})
  }
  res.once('close', onClose)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (res.destroyed) return
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go)
            res.off('close', go)
            resolve()
          }
          res.on('drain', go)
          res.on('close', go)
        })
      }
    }
    res.end()
  } catch {
    // The body failed half-way (provider dropped, idle timeout): cut the connection so the client
    // sees a truncated response, an error, rather than a clean end.
    res.destroy()
  } finally {
    res.off('close', onClose)
  }
}
