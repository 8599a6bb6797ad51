// Named jobs on schedules in the deployment's zone. Each job's last run is stored, so a job missed
// while the bot was down runs once at start-up, and a restart does not run a job twice for one
// occurrence. node-cron only wakes the scheduler; whether a job is due is decided by isDue.
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import { cronExpression, isDue, previousOccurrence, type JobSchedule } from "../domain/schedule.js";

export interface Job {
  readonly name: string;
  readonly schedule: JobSchedule;
  /**
   * How late a missed run may still catch up. A reminder whose moment has long passed ("today is the last
   * day of the month" on the 3rd) is skipped and stamped instead; unset: always catch up once.
   */
  readonly catchUpHours?: number;
  run(now: Date): Promise<void>;
}

export interface JobStamps {
  lastRun(name: string): Promise<Date | null>;
  recordRun(name: string, at: Date, error: string | null): Promise<void>;
}

export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private running = new Set<string>();

  constructor(
    private readonly jobs: readonly Job[],
    private readonly stamps: JobStamps,
    private readonly clock: () => Date,
    private readonly zone: string,
    private readonly logger: Logger,
    /** Hears of every error a job run met (the storage alarm listens for a full disk). */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Runs every job that is due now, one after another. Returns the names that ran. */
  async runDue(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) if (await this.runIfDue(job)) ran.push(job.name);
    return ran;
  }

  private async runIfDue(job: Job): Promise<boolean> {
    if (this.running.has(job.name)) return false;
    const now = this.clock();
    if (!isDue(job.schedule, await this.stamps.lastRun(job.name), now, this.zone)) return false;
    const log = this.logger.child({ job: job.name });
    if (job.catchUpHours !== undefined && now.getTime() - previousOccurrence(job.schedule, now, this.zone).getTime() > job.catchUpHours * 3_600_000) {
      await this.stamps.recordRun(job.name, now, "skipped: too late to catch up");
      log.info("missed run skipped: too late to catch up");
      return false;
    }
    this.running.add(job.name);
    try {
      await job.run(now);
      await this.stamps.recordRun(job.name, now, null);
      log.info("job ran");
    } catch (error) {
      log.error({ err: error }, "job failed");
      this.onError(error);
      // The stamp records the attempt: a failing job retries at its next occurrence, not in a tight loop.
      // (On a full disk the stamp cannot be written either: the job tries again at its next occurrence.)
      await this.stamps.recordRun(job.name, now, error instanceof Error ? error.message : String(error)).catch((stampError: unknown) => this.onError(stampError));
    } finally {
      this.running.delete(job.name);
    }
    return true;
  }

  /** Catches up missed runs, then wakes on each job's schedule. */
  async start(): Promise<void> {
    await this.runDue();
    for (const job of this.jobs) {
      // A run that cannot even read its stamp (the database unreadable) is logged, never an unhandled rejection.
      const tick = () =>
        void this.runIfDue(job).catch((error: unknown) => {
          this.logger.error({ err: error, job: job.name }, "job could not run");
          this.onError(error);
        });
      this.tasks.push(cron.schedule(cronExpression(job.schedule), tick, { timezone: this.zone, noOverlap: true, name: job.name }));
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks.length = 0;
    while (this.running.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
