// Every provider wire format the server speaks, by path prefix.
import type { Provider } from '../types.ts'
import { dify } from './dify.ts'
import { fish } from './fish.ts'
import { livepeer } from './livepeer.ts'
import { openai } from './openai.ts'

export const providers: Provider[] = [dify, livepeer, fish, openai]

export const routePaths = providers.flatMap((p) => p.routes.map((r) => r.path))
