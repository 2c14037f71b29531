/**
 * The `ocr2word` command line: `ocr2word <inputs...> [-o out] [--format
 * docx|txt|json|md|hocr|alto|pdf] [--dpi 300] [--pdf-text auto|ocr|text]
 * [--engine paddle] ...` converts images and PDFs to documents. Other
 * features come as subcommands (`ocr2word serve`, `ocr2word keys`), wired in
 * `bin.ts` (their types name the server's internals, which a declaration file
 * of this module cannot).
 *
 * @since 0.1.0
 */
import { OptionDecoding } from "@ocr2word/core"
import { Engines } from "@ocr2word/engines"
import { Config, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Convert from "./Convert.ts"

const nameFlag = (name: string, kind: keyof typeof Engines.names, default_: string) =>
  Flag.String(name).pipe(
    Flag.withDescription(
      `${kind === "preprocess" ? "Preprocessor" : kind[0]!.toUpperCase() + kind.slice(1)}: ${Engines.names[kind].join(", ")} (default: ${default_})`
    ),
    Flag.optional
  )

const some = <K extends string>(key: K, value: Option.Option<string>) =>
  (Option.isSome(value) ? { [key]: value.value } : {}) as { readonly [P in K]?: string }

/** The convert command at the root: `ocr2word <inputs...>`. */
export const ocr2word = Command.make(
  "ocr2word",
  {
    inputs: Argument.String("inputs").pipe(
      Argument.withDescription("Image and PDF files, directories (searched recursively for images and PDFs) and globs"),
      Argument.variadic()
    ),
    output: Flag.String("output").pipe(
      Flag.withAlias("o"),
      Flag.withDescription(
        "Output file for a single input, output directory for several (default: next to each input, same name, the format's extension)"
      ),
      Flag.optional
    ),
    // Text flags, decoded with the conversion's options schema: a wrong value gets the house message.
    format: Flag.String("format").pipe(
      Flag.withAlias("f"),
      Flag.withDescription(`Output format: ${Engines.formats.join(", ")}`),
      Flag.withDefault("docx")
    ),
    mode: Flag.String("mode").pipe(
      Flag.withDescription(
        "Word layout: flow (editable paragraphs, headings, lists, tables and pictures in reading order) or exact (each line where it was on the page)"
      ),
      Flag.withDefault("flow")
    ),
    background: Flag.Boolean("background").pipe(
      Flag.withDescription("With --mode exact, put the page image behind the text"),
      Flag.withDefault(false)
    ),
    overwrite: Flag.Boolean("overwrite").pipe(
      Flag.withDescription("Replace existing output files (by default an existing file makes that input fail)"),
      Flag.withDefault(false)
    ),
    dpi: Flag.String("dpi").pipe(
      Flag.withDescription("Resolution PDF pages are rendered at before OCR, 36 to 1200 (default: 300)"),
      Flag.optional
    ),
    pdfText: Flag.String("pdf-text").pipe(
      Flag.withDescription(
        "Text of PDF pages: auto (a page's text layer when it has one, else OCR), ocr (always OCR), text (the text layer; a page without one fails)"
      ),
      Flag.withDefault("auto")
    ),
    engine: nameFlag("engine", "engine", "paddle"),
    detector: nameFlag("detector", "detector", "the engine's"),
    classifier: nameFlag("classifier", "classifier", "the engine's, else none"),
    recognizer: nameFlag("recognizer", "recognizer", "the engine's"),
    layout: nameFlag("layout", "layout", "xycut"),
    preprocess: nameFlag("preprocess", "preprocess", "auto"),
    remoteUrl: Flag.String("remote-url").pipe(
      Flag.withDescription("Base URL of the ocr2word service for --engine remote, e.g. https://api.gugudata.com"),
      Flag.optional
    ),
    async: Flag.Boolean("async").pipe(
      Flag.withDescription(
        "With --remote-url: submit the inputs as batch jobs (POST /jobs) to an ocr2word server, wait, and write the Word files"
      ),
      Flag.withDefault(false)
    ),
    // Kept Redacted; the environment variable keeps the key out of shell history and `ps`.
    appkey: Flag.Redacted("appkey").pipe(
      Flag.withDescription(
        "Key of the service for --engine remote (default: the OCR2WORD_APPKEY environment variable)"
      ),
      Flag.withFallbackConfig(Config.Redacted("OCR2WORD_APPKEY")),
      Flag.optional
    )
  },
  Effect.fn("Cli.convert")(function* (flags) {
    const reporting: Convert.Reporting = {
      // The bar is redrawn in place, so it writes to stderr directly.
      write: (text) => process.stderr.write(text),
      isTerminal: process.stderr.isTTY === true,
      // A pseudo-terminal without a size reports 0 columns.
      columns: process.stderr.columns || 80
    }
    const options = yield* OptionDecoding.decode(
      Convert.ConvertOptions,
      {
        inputs: flags.inputs,
        overwrite: flags.overwrite,
        background: flags.background,
        // The text flags, read with the options' own types (a number for --dpi).
        ...OptionDecoding.read(
          Convert.ConvertOptions,
          OptionDecoding.flags({
            format: flags.format,
            mode: flags.mode,
            pdfText: flags.pdfText,
            pdfDpi: Option.getOrUndefined(flags.dpi)
          })
        ),
        ...(flags.async ? { async: true } : {}),
        ...some("output", flags.output),
        ...some("engine", flags.engine),
        ...some("detector", flags.detector),
        ...some("classifier", flags.classifier),
        ...some("recognizer", flags.recognizer),
        ...some("layout", flags.layout),
        ...some("preprocess", flags.preprocess),
        ...some("remoteUrl", flags.remoteUrl),
        ...(Option.isSome(flags.appkey) ? { appkey: flags.appkey.value } : {})
      },
      ({ message }) =>
        new Convert.ConversionFailed({
          reason: "CouldNotStart",
          failed: flags.inputs.length,
          total: flags.inputs.length,
          message
        }),
      (path) =>
        path.length === 0 ? "options" : path[0] === "pdfDpi" ? "--dpi" : OptionDecoding.flagName(String(path[0]))
    ).pipe(Effect.tapError((e) => Effect.sync(() => reporting.write(`error: ${e.message}\n`))))
    yield* Convert.run(options, reporting)
  })
).pipe(
  Command.withDescription("Turn images and PDFs of Chinese, English and mixed text into editable Word documents."),
  Command.withExamples([
    { command: "ocr2word scan.png -o scan.docx", description: "Convert one image" },
    { command: "ocr2word scans/ -o out/ --format txt", description: "Convert every image below scans/ to text" },
    {
      command: "ocr2word scan.pdf -o scan.docx --dpi 300",
      description: "Convert a PDF: each page a Word section, its text layer used where it has one"
    },
    { command: "ocr2word 'photos/*.jpg'", description: "Convert the matches of a glob, next to each image" },
    {
      command: "ocr2word scan.png --mode exact --background",
      description: "A Word page like the image: each line at its place, the scan behind the text"
    },
    {
      command: "OCR2WORD_APPKEY=... ocr2word scan.png --engine remote --remote-url https://api.gugudata.com",
      description: "Convert with a contract-compatible remote service (the Word file is the service's own)"
    },
    {
      command: "OCR2WORD_APPKEY=... ocr2word scans/ -o out/ --remote-url https://ocr.example.org --async",
      description: "Submit a folder as batch jobs to an ocr2word server and wait for the Word files"
    }
  ])
)
