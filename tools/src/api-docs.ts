/**
 * Which public API of the published packages has no documentation: every module that a
 * package's `src/index.ts` re-exports needs a header comment (what it is for and when to use it),
 * and every declaration it exports a doc comment, as `docs/api` (TypeDoc) shows them. `src/internal/`
 * is not public and is not checked.
 *
 * Run `npx node tools/src/api-docs.ts` for the list (exit code 1 when something is missing);
 * `tools/test/ApiDocs.test.ts` keeps it empty.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import ts from "typescript"

/** One undocumented thing: `file:line: what`. */
export interface Missing {
  readonly file: string
  readonly line: number
  readonly what: string
}

const hasDoc = (node: ts.Node, source: ts.SourceFile): boolean =>
  (ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? []).some((range) =>
    source.text.slice(range.pos, range.end).startsWith("/**")
  )

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

const declarationName = (node: ts.Node): string | undefined => {
  if (ts.isVariableStatement(node))
    return node.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : "?")).join(", ")
  if (
    (ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isEnumDeclaration(node) ||
      ts.isModuleDeclaration(node)) &&
    node.name !== undefined
  )
    return node.name.text
  return undefined
}

/** The undocumented public API of one module file. */
export const checkModule = (file: string, root: string): ReadonlyArray<Missing> => {
  const source = ts.createSourceFile(file, Fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true)
  const relative = Path.relative(root, file)
  const missing: Array<Missing> = []
  const first = source.statements[0]
  const header = first !== undefined && hasDoc(first, source)
  if (!header) missing.push({ file: relative, line: 1, what: "module header comment" })
  // Overloads share one comment: a function name counts once.
  const seen = new Set<string>()
  for (const statement of source.statements) {
    if (!isExported(statement)) continue
    const name = declarationName(statement)
    if (name === undefined || seen.has(name)) continue
    seen.add(name)
    // The module header sits above the first statement: it documents the module, not that export.
    const documented = statement === first ? hasDocAfterHeader(statement, source) : hasDoc(statement, source)
    if (!documented) {
      const line = source.getLineAndCharacterOfPosition(statement.getStart()).line + 1
      missing.push({ file: relative, line, what: name })
    }
  }
  return missing
}

const hasDocAfterHeader = (node: ts.Node, source: ts.SourceFile): boolean =>
  (ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? []).filter((range) =>
    source.text.slice(range.pos, range.end).startsWith("/**")
  ).length > 1

/** The modules a package's index re-exports (`export * as X from "./X.ts"`), and the index itself. */
export const publicModules = (packageDir: string): ReadonlyArray<string> => {
  const index = Path.join(packageDir, "src/index.ts")
  const text = Fs.readFileSync(index, "utf8")
  const modules = [...text.matchAll(/from "(\.\/[^"]+\.ts)"/g)].map((m) => Path.join(packageDir, "src", m[1]!))
  return [index, ...modules]
}

/** The undocumented public API of every published package under `root/packages`, and of `root/benchmarks`. */
export const check = (root: string): ReadonlyArray<Missing> =>
  Fs.readdirSync(Path.join(root, "packages"))
    .map((name) => Path.join(root, "packages", name))
    .concat([Path.join(root, "benchmarks")])
    .filter(
      (dir) => Fs.existsSync(Path.join(dir, "tsconfig.lib.json")) && Fs.existsSync(Path.join(dir, "src/index.ts"))
    )
    .flatMap((dir) =>
      publicModules(dir).flatMap((file) =>
        // The index's header is the package's; its re-exports are documented in their modules.
        file.endsWith("src/index.ts")
          ? checkModule(file, root).filter((m) => m.what === "module header comment")
          : checkModule(file, root)
      )
    )

if (import.meta.main) {
  const missing = check(Path.resolve(import.meta.dirname, "../.."))
  for (const m of missing) process.stdout.write(`${m.file}:${m.line}: ${m.what}\n`)
  process.stdout.write(`${missing.length} undocumented\n`)
  process.exitCode = missing.length === 0 ? 0 : 1
}
