export { createVoiceProxy, DEFAULT_BASE_PATH, DEFAULT_TIMEOUT_MS } from './handler'
export type { FetchHandler, NextFunction, NodeListener, NodeListenerOptions } from './node'
export { toNodeListener } from './node'
export type {
  AllowedOrigins,
  BuiltInProviderConfigs,
  CustomProviderConfig,
  ProviderConfig,
  VoiceProxyHandler,
  VoiceProxyOptions,
} from './options'
