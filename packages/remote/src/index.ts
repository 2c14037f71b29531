/**
 * @ocr2word/remote: a remote ocr2word service as an interchangeable pipeline
 * backend, and a reader that turns .docx files back into documents.
 *
 * @since 0.1.0
 */
export * as DocxReader from "./DocxReader.ts"
export * as RemoteDocx from "./RemoteDocx.ts"
export * as RemotePipeline from "./RemotePipeline.ts"
