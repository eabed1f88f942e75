export type { LevelMeterProps } from './LevelMeter'
export { LevelMeter } from './LevelMeter'
