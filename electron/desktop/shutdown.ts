// Quitting the desktop app in order: the first quit is held (will-quit's preventDefault) while every
// step registered at start-up is undone, newest first (so the monitor, started first, closes last);
// then the app quits for real. A step that fails is logged and the next ones still run.

/** One thing to undo at quit. */
export type ShutdownStep = () => void | Promise<void>;

export class ShutdownController {
  private readonly steps: { name: string; run: ShutdownStep }[] = [];
  private running: Promise<void> | null = null;
  private done = false;

  constructor(private readonly log: (line: string) => void) {}

  /** Registers a step to run at quit; `name` says which one failed in the log. */
  add(name: string, run: ShutdownStep): void {
    this.steps.push({ name, run });
  }

  /** True once every step ran and the app may end. */
  get finished(): boolean {
    return this.done;
  }

  /**
   * Electron's will-quit: holds the first quit until the steps are done, then calls `quit` again (which
   * then goes through). A quit while the steps run waits for the same run.
   */
  willQuit(event: { preventDefault(): void }, quit: () => void): void {
    if (this.done) return;
    event.preventDefault();
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.done = true;
      quit();
    });
  }

  /** Runs every step once, newest first. */
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (err) {
        this.log(`while quitting, ${step.name} failed: ${String(err)}`);
      }
    }
  }
}
