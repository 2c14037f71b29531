/**
 * The Word files behind documents the remote backend returned, keyed by the
 * document object itself and held weakly: an entry lives exactly as long as
 * its document. Identity is the point: a document that was copied or rebuilt
 * is no longer what the service wrote, so it has no original.
 */
import type { Document } from "@ocr2word/core"

const originals = new WeakMap<Document.Document, Uint8Array>()

export const remember = (document: Document.Document, docx: Uint8Array): void => {
  originals.set(document, docx)
}

export const lookup = (document: Document.Document): Uint8Array | undefined => originals.get(document)
