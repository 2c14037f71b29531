/**
 * @ocr2word/client: a typed client of the ocr2word HTTP contract, for the
 * commercial service and our own server alike.
 *
 * @since 0.1.0
 */
export * as ApiClient from "./ApiClient.ts"
export * as ClientError from "./ClientError.ts"
export * as FaultServer from "./FaultServer.ts"
export * as JobsClient from "./JobsClient.ts"
export * as Ocr2WordClient from "./Ocr2WordClient.ts"
