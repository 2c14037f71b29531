/**
 * The benchmark's charts as small hand-written SVG: accuracy against speed
 * (one point per pipeline and dataset) and per-stage time as stacked bars.
 * No plotting library: a few rectangles, circles and labels are all a person
 * needs to see which pipeline is fast, which is accurate, and where time goes.
 *
 * @since 0.1.0
 */

const COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"]

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

const svg = (width: number, height: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="#fff"/>\n${body}\n</svg>\n`

/** A "nice" upper bound for an axis. */
const niceMax = (v: number): number => {
  if (!(v > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

/** One point of the scatter. */
export interface ScatterPoint {
  readonly series: string
  readonly label: string
  /** Milliseconds per image (x, log scale). */
  readonly ms: number
  /** Character error rate, 0..1 (y; lower is better). */
  readonly cer: number
}

/** CER (y, lower is better) against ms per image (x, log scale). */
export const scatter = (points: ReadonlyArray<ScatterPoint>, title: string): string => {
  const W = 640
  const H = 400
  const L = 60
  const R = 170
  const T = 40
  const B = 50
  const pw = W - L - R
  const ph = H - T - B
  const xs = points.map((p) => Math.max(1, p.ms))
  const lo = Math.floor(Math.log10(Math.min(...xs, 10)))
  const hi = Math.ceil(Math.log10(Math.max(...xs, 100)))
  const ymax = niceMax(Math.max(...points.map((p) => p.cer), 0.05))
  const x = (ms: number) => L + ((Math.log10(Math.max(1, ms)) - lo) / Math.max(1, hi - lo)) * pw
  const y = (c: number) => T + ph - (c / ymax) * ph
  const parts: Array<string> = [`<text x="${L}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`]
  for (let e = lo; e <= hi; e++) {
    parts.push(`<line x1="${x(10 ** e)}" y1="${T}" x2="${x(10 ** e)}" y2="${T + ph}" stroke="#ddd"/>`)
    parts.push(
      `<text x="${x(10 ** e)}" y="${T + ph + 16}" text-anchor="middle">${10 ** e >= 1000 ? `${10 ** e / 1000} s` : `${10 ** e} ms`}</text>`
    )
  }
  for (let k = 0; k <= 5; k++) {
    const v = (ymax * k) / 5
    parts.push(`<line x1="${L}" y1="${y(v)}" x2="${L + pw}" y2="${y(v)}" stroke="#eee"/>`)
    parts.push(`<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${(v * 100).toFixed(0)}%</text>`)
  }
  parts.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`)
  parts.push(
    `<text x="${L + pw / 2}" y="${H - 12}" text-anchor="middle">ms per image (p50, log scale) - faster to the left</text>`
  )
  parts.push(`<text transform="translate(16 ${T + ph / 2}) rotate(-90)" text-anchor="middle">CER - better lower</text>`)
  const series = [...new Set(points.map((p) => p.series))]
  points.forEach((p) => {
    const c = COLORS[series.indexOf(p.series) % COLORS.length]
    parts.push(
      `<circle cx="${x(p.ms).toFixed(1)}" cy="${y(p.cer).toFixed(1)}" r="6" fill="${c}" fill-opacity="0.85"><title>${esc(`${p.series} ${p.label}: ${(p.cer * 100).toFixed(1)}% CER, ${p.ms.toFixed(0)} ms`)}</title></circle>`
    )
    parts.push(
      `<text x="${(x(p.ms) + 8).toFixed(1)}" y="${(y(p.cer) + 4).toFixed(1)}" font-size="10" fill="#444">${esc(p.label)}</text>`
    )
  })
  series.forEach((s, i) => {
    parts.push(`<circle cx="${W - R + 20}" cy="${T + 10 + i * 20}" r="6" fill="${COLORS[i % COLORS.length]}"/>`)
    parts.push(`<text x="${W - R + 32}" y="${T + 14 + i * 20}">${esc(s)}</text>`)
  })
  return svg(W, H, parts.join("\n"))
}

/** One bar: a label and milliseconds per stage. */
export interface StageBar {
  readonly label: string
  readonly stages: Readonly<Record<string, number>>
}

/** Horizontal stacked bars of mean ms per image by stage. */
export const stackedBars = (bars: ReadonlyArray<StageBar>, stages: ReadonlyArray<string>, title: string): string => {
  const L = 170
  const R = 30
  const T = 60
  const rowH = 30
  const W = 720
  const H = T + bars.length * rowH + 40
  const pw = W - L - R
  const max = niceMax(Math.max(...bars.map((b) => Object.values(b.stages).reduce((a, v) => a + v, 0)), 1))
  const x = (ms: number) => (ms / max) * pw
  const parts: Array<string> = [`<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`]
  stages.forEach((s, i) => {
    parts.push(`<rect x="${L + i * 75}" y="32" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`)
    parts.push(`<text x="${L + i * 75 + 16}" y="42">${esc(s)}</text>`)
  })
  bars.forEach((b, r) => {
    const yy = T + r * rowH
    parts.push(`<text x="${L - 8}" y="${yy + 17}" text-anchor="end">${esc(b.label)}</text>`)
    let acc = 0
    stages.forEach((s, i) => {
      const v = b.stages[s] ?? 0
      if (v <= 0) return
      parts.push(
        `<rect x="${(L + x(acc)).toFixed(1)}" y="${yy + 4}" width="${x(v).toFixed(1)}" height="${rowH - 8}" fill="${COLORS[i % COLORS.length]}"><title>${esc(`${b.label} ${s}: ${v.toFixed(1)} ms`)}</title></rect>`
      )
      acc += v
    })
    parts.push(`<text x="${(L + x(acc) + 4).toFixed(1)}" y="${yy + 17}" font-size="10">${acc.toFixed(0)} ms</text>`)
  })
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4
    parts.push(`<text x="${L + x(v)}" y="${H - 12}" text-anchor="middle" font-size="10">${v.toFixed(0)} ms</text>`)
  }
  return svg(W, H, parts.join("\n"))
}
