/** One line of the bench table. `ratio` is ours ÷ baseline (what "better" means is in the name/note). */
export interface Row {
  group: string
  name: string
  ours: string
  baseline: string
  ratio: number | null
  note?: string
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  if (!sorted.length) return Number.NaN
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
