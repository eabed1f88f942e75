export type { CapabilityReportLabels, CapabilityReportProps } from './CapabilityReport'
export { CapabilityReport, defaultCapabilityReportLabels } from './CapabilityReport'
