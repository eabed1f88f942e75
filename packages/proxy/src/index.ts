export { createVoiceProxy, DEFAULT_BASE_PATH, DEFAULT_RELAY_LIMITS, DEFAULT_TIMEOUT_MS } from './handler'
export type { FetchHandler, NextFunction, NodeListener, NodeListenerOptions } from './node'
export { toNodeListener } from './node'
export type {
  AllowedOrigins,
  BuiltInProviderConfigs,
  CustomProviderConfig,
  ProviderConfig,
  RelayOptions,
  VoiceProxyHandler,
  VoiceProxyOptions,
} from './options'
export type { UpgradeListener, UpgradeListenerOptions } from './relay/node'
export { toUpgradeListener } from './relay/node'
export { RELAY_CLOSE_CODES } from './relay/session'
