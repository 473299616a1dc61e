/**
 * A compose input the harness cannot use: a missing or unparsable file, an overlay that does not
 * fit the base, a variable that Compose itself would refuse. The message names the file and line
 * so the user can go straight to it.
 */
export class ComposeInputError extends Error {
  override name = "ComposeInputError";
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, where?: { file?: string | undefined; line?: number | undefined }) {
    const prefix = where?.file ? `${where.file}${where.line ? `:${where.line}` : ""}: ` : "";
    super(prefix + message);
    this.file = where?.file;
    this.line = where?.line;
  }
}
