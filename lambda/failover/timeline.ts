/**
 * The timeline of a run: each step with its start and end time and outcome.
 */

/** How a step ended. */
export type StepOutcome = 'done' | 'skipped' | 'failed';

/** One step of the timeline. */
export interface TimelineStep {
  readonly step: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly outcome: StepOutcome;
  readonly detail?: string;
}

/** Lets a running step say it was skipped or add a detail. */
export interface StepControl {
  skip(detail: string): void;
  detail(detail: string): void;
}

/** Records steps in order. */
export class Timeline {
  readonly steps: TimelineStep[] = [];

  constructor(
    private readonly clock: () => Date = () => new Date(),
    /** Called after each step (e.g. to log it). */
    private readonly onStep: (step: TimelineStep) => void = () => {},
  ) {}

  /** Runs `fn` as the step `name`; a throw marks it failed (with the error message) and propagates. */
  async step<T>(name: string, fn: (control: StepControl) => Promise<T>): Promise<T> {
    const startedAt = this.clock().toISOString();
    let outcome: StepOutcome = 'done';
    let detail: string | undefined;
    const control: StepControl = {
      skip: (d) => {
        outcome = 'skipped';
        detail = d;
      },
      detail: (d) => {
        detail = d;
      },
    };
    try {
      const result = await fn(control);
      this.push(name, startedAt, outcome, detail);
      return result;
    } catch (err) {
      this.push(name, startedAt, 'failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private push(step: string, startedAt: string, outcome: StepOutcome, detail: string | undefined): void {
    const entry: TimelineStep = {
      step,
      startedAt,
      endedAt: this.clock().toISOString(),
      outcome,
      ...(detail === undefined ? {} : { detail }),
    };
    this.steps.push(entry);
    this.onStep(entry);
  }
}
