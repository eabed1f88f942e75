// The real-time relay and token routes on node:http: toNodeListener for requests, toUpgradeListener
// for upgrades (each variant's listener passing foreign paths on).
import { describe } from 'vitest'
import { nodeRealtimeHost } from './test-support/realtime-hosts'
import { defineRealtimeSuite } from './test-support/realtime-suite'

describe('real time on node:http', () => defineRealtimeSuite(nodeRealtimeHost))
