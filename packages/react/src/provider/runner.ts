import type { QueryClient } from '@tanstack/react-query'
import type { RequestRunner } from '@voicekit/core'

/**
 * Runs each voice request as a mutation on `client`, so that devtools, `useIsMutating` and the
 * MutationCache's global handlers see it. `retry: false`: the session owns the retry policy.
 */
export const mutationRunner =
  (client: QueryClient): RequestRunner =>
  (request) =>
    client
      .getMutationCache()
      .build(client, {
        mutationKey: ['voicekit', request.kind],
        mutationFn: () => request.run(),
        networkMode: 'always',
        retry: false,
      })
      .execute(request.variables)
