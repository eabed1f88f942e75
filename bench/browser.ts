// What the browser benches share: a page server on 127.0.0.1 (a secure context, so getUserMedia works)
// serving one esbuild-bundled script and media files, and the engines launched as the tests launch them.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join } from 'node:path'
import { bundlePage } from './bundle.ts'

export interface PageServer {
  url: string
  close(): Promise<void>
}

const TYPES: Record<string, string> = { '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.webm': 'audio/webm' }

/** Serves `/` (a blank page loading `/bench.js`, the bundle of `entry`) and `/media/<file>` from `mediaDir`. */
export async function servePage(entry: string, mediaDir: string): Promise<PageServer> {
  const script = await bundlePage(entry)
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(
        '<!doctype html><meta charset="utf-8"><div id="root"></div><script type="module" src="/bench.js"></script>',
      )
    } else if (path === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      res.end(script)
    } else if (path.startsWith('/media/') && !path.includes('..')) {
      try {
        const bytes = readFileSync(join(mediaDir, path.slice(7)))
        res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
        res.end(bytes)
      } catch {
        res.writeHead(404).end()
      }
    } else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
