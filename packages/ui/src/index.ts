export * from './capability-report'
