export { once, sleep } from './wait'
