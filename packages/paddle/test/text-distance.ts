/** Edit distance for the tests' accuracy checks. */

/** Levenshtein distance over code points (strings) or any sequences of strings. */
export const distance = (a: string | ReadonlyArray<string>, b: string | ReadonlyArray<string>): number => {
  const x = [...a]
  const y = [...b]
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const cur = [i]
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[y.length]!
}
