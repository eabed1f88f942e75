// An Express server: the voice proxy (it holds the key) and a page that uses @voicekit/core
// straight from node_modules through an import map, without a bundler.
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createVoiceProxy, toNodeListener } from '@voicekit/proxy'
import express from 'express'

const voice = createVoiceProxy({
  providers: { dify: { apiKey: process.env.DIFY_API_KEY, baseUrl: process.env.DIFY_BASE_URL } },
})

const app = express()
app.use(toNodeListener(voice)) // before any body parser
app.use('/voicekit/core', express.static(dirname(fileURLToPath(import.meta.resolve('@voicekit/core')))))
app.use(express.static(fileURLToPath(new URL('../public', import.meta.url))))

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
app.listen(port, host, () => console.log(`http://${host}:${port}`))
