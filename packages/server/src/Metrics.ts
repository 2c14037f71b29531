/**
 * Service metrics in the Prometheus text format (`/metrics`): requests by
 * route, method and status, a latency histogram, OCR stage timings, queue
 * depth and per-key call counts. Kept in memory per node; a Prometheus
 * server scrapes every node and sums.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { QueueStats } from "./OcrQueue.ts"

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
const stageBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]

class Histogram {
  readonly series = new Map<string, { counts: Array<number>; sum: number; count: number }>()
  readonly buckets: ReadonlyArray<number>
  constructor(buckets: ReadonlyArray<number>) {
    this.buckets = buckets
  }
  observe(labels: string, value: number) {
    const s = this.series.get(labels) ?? { counts: this.buckets.map(() => 0), sum: 0, count: 0 }
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]!++
    })
    s.sum += value
    s.count++
    this.series.set(labels, s)
  }
  render(name: string, help: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`]
    for (const [labels, s] of this.series) {
      const sep = labels === "" ? "" : ","
      for (const [i, b] of this.buckets.entries()) lines.push(`${name}_bucket{${labels}${sep}le="${b}"} ${s.counts[i]}`)
      lines.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${s.count}`)
      lines.push(`${name}_sum{${labels}} ${s.sum}`)
      lines.push(`${name}_count{${labels}} ${s.count}`)
    }
    return lines.join("\n")
  }
}

const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")

export class Metrics extends Context.Service<
  Metrics,
  {
    readonly request: (route: string, method: string, status: number, seconds: number) => void
    readonly stages: (timings: Readonly<Record<string, number>>) => void
    readonly keyCall: (keyId: string) => void
    readonly rejected: (reason: string) => void
    readonly render: (queue: QueueStats) => string
  }
>()("@ocr2word/server/Metrics") {}

export const make = Effect.sync(() => {
  const requests = new Map<string, number>()
  const keyCalls = new Map<string, number>()
  const rejections = new Map<string, number>()
  const latency = new Histogram(latencyBuckets)
  const stage = new Histogram(stageBuckets)
  const inc = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  return Metrics.of({
    request: (route, method, status, seconds) => {
      inc(requests, `route="${label(route)}",method="${method}",status="${status}"`)
      latency.observe(`route="${label(route)}"`, seconds)
    },
    stages: (timings) => {
      for (const [name, ms] of Object.entries(timings)) stage.observe(`stage="${label(name)}"`, ms / 1000)
    },
    keyCall: (keyId) => inc(keyCalls, `key="${label(keyId)}"`),
    rejected: (reason) => inc(rejections, `reason="${label(reason)}"`),
    render: (queue) => {
      const counter = (name: string, help: string, map: Map<string, number>) =>
        [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, ...[...map].map(([l, v]) => `${name}{${l}} ${v}`)].join(
          "\n"
        )
      const gauge = (name: string, help: string, value: number) =>
        `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`
      return `${[
        counter("ocr2word_http_requests_total", "HTTP requests by route, method and status.", requests),
        latency.render("ocr2word_http_request_duration_seconds", "HTTP request latency by route."),
        stage.render("ocr2word_ocr_stage_duration_seconds", "Time spent in each OCR pipeline stage (span name)."),
        counter("ocr2word_key_calls_total", "Authorised calls per API key id.", keyCalls),
        counter("ocr2word_rejections_total", "Requests refused, by reason.", rejections),
        gauge("ocr2word_queue_waiting", "Conversions waiting for a worker.", queue.waiting),
        gauge("ocr2word_queue_busy", "Conversions running.", queue.busy),
        gauge("ocr2word_queue_capacity", "Conversions that may wait.", queue.queueSize),
        gauge("ocr2word_workers", "OCR worker threads.", queue.workers),
        gauge("ocr2word_workers_ready", "OCR worker threads with their models loaded.", queue.readyWorkers)
      ].join("\n")}\n`
    }
  })
})

export const layer: Layer.Layer<Metrics> = Layer.effect(Metrics, make)
