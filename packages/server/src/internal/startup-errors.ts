/**
 * One sentence for each way `ocr2word serve` (or `worker`) can fail to start on its network
 * settings: a port already taken or not allowed, an address not on this machine, a TLS
 * certificate or key that cannot be read or is not PEM. Each names the setting and what to pass
 * instead. Anything else is not a start-up mistake of the user and is left alone (undefined).
 */

interface SystemError {
  readonly code?: unknown
  readonly syscall?: unknown
  readonly port?: unknown
  readonly address?: unknown
  readonly path?: unknown
  readonly message?: unknown
}

const asSystemError = (u: unknown): SystemError | undefined =>
  typeof u === "object" && u !== null ? (u as SystemError) : undefined

/** The cause of an `HttpServerError.ServeError` (a failed `listen`) as a sentence, if it is a known one. */
export const listenFailure = (cause: unknown): string | undefined => {
  const e = asSystemError(cause)
  if (e === undefined || e.syscall !== "listen") return undefined
  const port = String(e.port ?? "")
  switch (e.code) {
    case "EADDRINUSE":
      return `port ${port} is in use: pass --port (or OCR2WORD_PORT) with a free port, or stop what listens on ${port}`
    case "EACCES":
      return `port ${port} needs administrator rights on this system: pass --port with a port above 1023`
    case "EADDRNOTAVAIL":
      return `address ${String(e.address ?? "")} is not an address of this machine: pass --host (or OCR2WORD_HOST) with one of its addresses, or 0.0.0.0 for all`
  }
  return undefined
}

/** The file settings of TLS, to say which one a failure is about. */
export interface TlsFiles {
  readonly tlsCert?: string | undefined
  readonly tlsKey?: string | undefined
}

/** A failure to load the TLS certificate or key (a thrown error while creating the server) as a sentence. */
export const tlsFailure = (error: unknown, files: TlsFiles): string | undefined => {
  const e = asSystemError(error)
  if (e === undefined || (files.tlsCert === undefined && files.tlsKey === undefined)) return undefined
  if (typeof e.path === "string" && (e.path === files.tlsCert || e.path === files.tlsKey)) {
    const flag = e.path === files.tlsCert ? "--tls-cert" : "--tls-key"
    const why =
      e.code === "ENOENT" ? "there is no such file" : e.code === "EACCES" ? "permission denied" : String(e.code)
    return `the TLS file ${e.path} (${flag}) cannot be read: ${why}; pass ${flag} with a readable PEM file`
  }
  const message = typeof e.message === "string" ? e.message : ""
  if (typeof e.code === "string" && e.code.startsWith("ERR_OSSL")) {
    const which = /key/i.test(message) && !/certificate/i.test(message) ? "key" : "certificate or key"
    return `the TLS ${which} is not usable (${message}): pass --tls-cert with a PEM certificate and --tls-key with its PEM private key (${files.tlsCert} and ${files.tlsKey} were given)`
  }
  return undefined
}
