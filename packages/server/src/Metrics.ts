/**
 * Service metrics in the Prometheus text format (`/metrics`): requests by
 * route, method and status, a latency histogram, OCR stage timings, queue
 * depth, per-key call counts, failures by envelope code and the shared job
 * queue's counts. Kept in memory per node (each `ocr2word worker` serves its
 * own: jobs by outcome and code, job latency); a Prometheus server scrapes
 * every node and worker and sums.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { JobCounts } from "./JobQueue.ts"
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

/** The server's counters and timings, served as Prometheus text at `/metrics`. */
export class Metrics extends Context.Service<
  Metrics,
  {
    readonly request: (route: string, method: string, status: number, seconds: number) => void
    readonly stages: (timings: Readonly<Record<string, number>>) => void
    readonly keyCall: (keyId: string) => void
    readonly rejected: (reason: string) => void
    /** A refused request of a conversion or job route, by the envelope's StatusCode. */
    readonly failure: (route: string, code: number) => void
    readonly jobSubmitted: (images: number) => void
    readonly render: (queue: QueueStats, jobs?: JobCounts) => string
  }
>()("@ocr2word/server/Metrics") {}

/** A fresh, empty `Metrics`. */
export const make = Effect.sync(() => {
  const requests = new Map<string, number>()
  const keyCalls = new Map<string, number>()
  const rejections = new Map<string, number>()
  const failures = new Map<string, number>()
  let jobImages = 0
  let jobCount = 0
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
    failure: (route, code) => inc(failures, `route="${label(route)}",code="${code}"`),
    jobSubmitted: (images) => {
      jobCount++
      jobImages += images
    },
    render: (queue, jobs) => {
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
        gauge("ocr2word_workers_ready", "OCR worker threads with their models loaded.", queue.readyWorkers),
        counter(
          "ocr2word_failures_total",
          "Refused conversion and job requests by route and envelope StatusCode.",
          failures
        ),
        gauge("ocr2word_jobs_submitted_total", "Batch jobs accepted by this node.", jobCount),
        gauge("ocr2word_job_images_submitted_total", "Images of the batch jobs accepted by this node.", jobImages),
        ...(jobs === undefined
          ? []
          : [
              gauge("ocr2word_shared_queue_waiting", "Images waiting in the shared (Redis) queue.", jobs.waiting),
              gauge("ocr2word_shared_queue_active", "Images being converted by worker processes.", jobs.active),
              gauge("ocr2word_shared_queue_completed", "Converted images kept in the shared queue.", jobs.completed),
              gauge("ocr2word_shared_queue_failed", "Failed images kept in the shared queue.", jobs.failed)
            ])
      ].join("\n")}\n`
    }
  })
})

/** `Metrics`, fresh and empty. */
export const layer: Layer.Layer<Metrics> = Layer.effect(Metrics, make)
