declare module 'vitest' {
  export interface ProvidedContext {
    /** URL prefix under which the browser can fetch files from /fixtures. */
    fixturesUrl: string
    /** The same-origin proxy in front of the local speech server: `${voiceBaseUrl}/dify`, `/livepeer`, `/fish`, `/openai`. */
    voiceBaseUrl: string
  }
}

export {}
