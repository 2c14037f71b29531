/**
 * @ocr2word/cli: the `ocr2word` command line and the conversion it runs, for
 * programs that want the same behaviour (input expansion, output naming,
 * atomic never-overwrite writes).
 *
 * @since 0.1.0
 */
export * as Cli from "./Cli.ts"
export * as Convert from "./Convert.ts"
export * as Inputs from "./Inputs.ts"
export * as OutputFile from "./OutputFile.ts"
export * as Progress from "./Progress.ts"
export * as Versions from "./Versions.ts"
