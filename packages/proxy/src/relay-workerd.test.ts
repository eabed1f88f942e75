// The real-time relay and token routes inside workerd (miniflare, straight to the worker): the Fetch
// handler answers an upgrade with a WebSocketPair and opens the provider's socket with an outbound fetch.
import { describe } from 'vitest'
import { workerdRealtimeHost } from './test-support/realtime-hosts'
import { defineRealtimeSuite } from './test-support/realtime-suite'

describe('real time on workerd', () => defineRealtimeSuite(workerdRealtimeHost))
