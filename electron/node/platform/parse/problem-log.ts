// Collects a parser's problems for one source, every message prefixed with the source name (so the
// snapshot can degrade the right source) and bounded (garbage input must not become 150,000 strings).

/** Problems of one source: the first few in full, the rest counted. */
export class ProblemLog {
  private shown = 0;
  private hidden = 0;

  constructor(
    private readonly source: string,
    private readonly into: string[],
    private readonly limit = 10,
  ) {}

  /** Records one problem ("<source>: <message>"). */
  add(message: string): void {
    if (this.shown < this.limit) {
      this.into.push(`${this.source}: ${message}`);
      this.shown++;
    } else this.hidden++;
  }

  /** How many problems were recorded, shown or not. */
  get count(): number {
    return this.shown + this.hidden;
  }

  /** Adds the "and N more" line when problems were left out; call once at the end. */
  finish(): void {
    if (this.hidden > 0) this.into.push(`${this.source}: and ${this.hidden} more problems like these`);
    this.hidden = 0;
  }
}
