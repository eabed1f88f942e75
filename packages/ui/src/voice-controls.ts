// `@voicekit/ui/voice-controls`: the device pickers and the visualizer, on their own entry so that
// the main entry stays within its size budget for apps that use neither.
export * from './device-select'
export * from './waveform'
