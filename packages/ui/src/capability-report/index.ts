export type { CapabilityReportLabels, CapabilityReportProps, Verdict } from './CapabilityReport'
export { CapabilityReport, defaultCapabilityReportLabels } from './CapabilityReport'
