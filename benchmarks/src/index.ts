/**
 * @ocr2word/benchmarks: the dataset manifest format, the accuracy metrics and
 * the harness that runs pipelines over datasets and reports accuracy and speed.
 *
 * @since 0.1.0
 */
export * as Manifest from "./Manifest.ts"
export * as Metrics from "./Metrics.ts"
