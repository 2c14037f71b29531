/**
 * @ocr2word/http-api: the HTTP API definition shared by the server, the
 * OpenAPI document and typed clients.
 *
 * @since 0.1.0
 */
export * as Api from "./Api.ts"
export * as ApiError from "./ApiError.ts"
export * as Envelope from "./Envelope.ts"
export * as Jobs from "./Jobs.ts"
