/**
 * @ocr2word/server: the contract-compatible HTTP service over the OCR
 * pipeline: handlers, storage, keys, limits, the work queue and the Node server.
 *
 * @since 0.1.0
 */
export * as ConversionWorker from "./ConversionWorker.ts"
export * as Dependency from "./Dependency.ts"
export * as DocumentStore from "./DocumentStore.ts"
export * as Handlers from "./Handlers.ts"
export * as ImageFetcher from "./ImageFetcher.ts"
export * as JobQueue from "./JobQueue.ts"
export * as KeyStore from "./KeyStore.ts"
export * as Metrics from "./Metrics.ts"
export * as OcrQueue from "./OcrQueue.ts"
export * as PostgresKeyStore from "./PostgresKeyStore.ts"
export * as Preview from "./Preview.ts"
export * as RateLimiter from "./RateLimiter.ts"
export * as RedisRateLimiter from "./RedisRateLimiter.ts"
export * as S3DocumentStore from "./S3DocumentStore.ts"
export * as Server from "./Server.ts"
export * as ServerCli from "./ServerCli.ts"
export * as ServerConfig from "./ServerConfig.ts"
