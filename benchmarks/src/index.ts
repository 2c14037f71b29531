/**
 * @ocr2word/benchmarks: the dataset manifest format, the accuracy metrics, the
 * scorer of one output against its item, the outside baselines and the harness
 * that runs pipelines over datasets and reports accuracy and speed.
 *
 * @since 0.1.0
 */
export * as Baselines from "./Baselines.ts"
export * as Bench from "./Bench.ts"
export * as Manifest from "./Manifest.ts"
export * as Metrics from "./Metrics.ts"
export * as Report from "./Report.ts"
export * as Score from "./Score.ts"
