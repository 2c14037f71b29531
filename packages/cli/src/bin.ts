#!/usr/bin/env node
/**
 * The `ocr2word` executable. npm links it into node_modules/.bin, where the
 * `node` on the PATH is the workspace's Node 24 (it runs this file's
 * TypeScript directly).
 *
 * @since 0.1.0
 */
import "./internal/process-warnings.ts"
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { ServerCli } from "@ocr2word/server"
import { Cause, Effect } from "effect"
import { CliError, Command } from "effect/cli"
import * as Cli from "./Cli.ts"
import { ConversionFailed } from "./Convert.ts"
import * as Versions from "./Versions.ts"

// Conversion at the root, other features as subcommands.
const command = Cli.ocr2word.pipe(Command.withSubcommands([ServerCli.serve, ServerCli.worker, ServerCli.keys]))

Command.run(command, { version: Versions.version }).pipe(
  // Failed inputs and bad command lines were already reported, one clear line
  // each; anything else is a bug and is printed in full.
  Effect.tapCause((cause) =>
    Effect.sync(() => {
      const error = Cause.squash(cause)
      const reported = Cause.hasFails(cause) && (error instanceof ConversionFailed || CliError.isCliError(error))
      if (!reported && !Cause.hasInterruptsOnly(cause)) process.stderr.write(`${Cause.pretty(cause)}\n`)
    })
  ),
  Effect.provide([Versions.layerPresenter, NodeServices.layer]),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
