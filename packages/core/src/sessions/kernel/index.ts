// The session kernel: what every session does the same way.

export { replay } from './replay'
export type { RequestRunner, RequestSpec, RetryPolicy, VoiceRequest } from './request'
export { asVoiceError, DEFAULT_RETRIES, DEFAULT_RETRY_DELAY_MS, request, retryDelay, runDirectly } from './request'
