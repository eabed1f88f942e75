export type { DeviceSelectLabels, DeviceSelectProps } from './DeviceSelect'
export { DeviceSelect, defaultDeviceSelectLabels } from './DeviceSelect'
