import { createVoiceProxy } from '@voicekit/proxy'

// One proxy per runtime: the key is read on the server, never sent to the browser.
export const voiceProxy = (basePath: string) =>
  createVoiceProxy({
    basePath,
    providers: { dify: { apiKey: process.env.DIFY_API_KEY, baseUrl: process.env.DIFY_BASE_URL } },
  })
