declare module 'vitest' {
  export interface ProvidedContext {
    /** URL prefix under which the browser can fetch files from /fixtures. */
    fixturesUrl: string
  }
}

export {}
