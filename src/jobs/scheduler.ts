// Named jobs on schedules in the deployment's zone. Each job's last run is stored, so a job missed
// while the bot was down runs once at start-up, and a restart does not run a job twice for one
// occurrence. node-cron only wakes the scheduler; whether a job is due is decided by isDue.
//
// Several processes on one database: each occurrence (job, scheduled moment) is claimed in the database
// (`slots`) before it runs, by the regular run (node-cron's distributed run coordinator, key "name:slotISO")
// and by the start-up catch-up alike (the same key for the same occurrence), so exactly one process runs
// it. The runner renews its claim while the job runs; a claim whose runner died mid-run expires and the
// next claimer of that occurrence (a restart's catch-up) runs it again.
import cron, { type ScheduledTask, type TaskContext } from "node-cron";
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

/** Claims of job occurrences shared by processes (src/db/repositories/leases.ts). */
export interface JobSlotClaims {
  claim(job: string, slot: Date, holder: string, now: Date, until: Date): Promise<boolean>;
  renew(job: string, slot: Date, holder: string, until: Date): Promise<boolean>;
  finish(job: string, slot: Date, holder: string, at: Date): Promise<void>;
}

export interface SlotCoordination {
  slots: JobSlotClaims;
  /** This process's name in the claims. */
  holder: string;
  /** How long a claim holds unless renewed (renewed every third of it while the job runs). */
  leaseMs?: number;
}

const SLOT_LEASE_MS = 60_000;

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
    /** Claims per occurrence across processes; without it, one process per database is assumed. */
    private readonly coordination: SlotCoordination | null = null,
  ) {}

  /** The node-cron run coordinator: a tick runs only in the process that claims its occurrence. */
  private coordinatorFor(job: Job) {
    return {
      shouldRun: async (key: string): Promise<boolean> => {
        const slot = new Date(Math.floor(Date.parse(key.slice(job.name.length + 1)) / 1000) * 1000);
        // Cron wakes on days 28–31 for "the last day": only the real occurrence is claimed.
        if (
          Number.isNaN(slot.getTime()) ||
          previousOccurrence(job.schedule, slot, this.zone).getTime() !== slot.getTime()
        )
          return false;
        return this.claim(job, slot, this.clock());
      },
    };
  }

  private async claim(job: Job, slot: Date, now: Date): Promise<boolean> {
    if (!this.coordination) return true;
    const { slots, holder } = this.coordination;
    const won = await slots.claim(
      job.name,
      slot,
      holder,
      now,
      new Date(now.getTime() + (this.coordination.leaseMs ?? SLOT_LEASE_MS)),
    );
    if (!won) this.logger.debug({ job: job.name, slot: slot.toISOString() }, "occurrence claimed by another process");
    return won;
  }

  /** Runs every job that is due now, one after another. Returns the names that ran. */
  async runDue(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) if (await this.runIfDue(job)) ran.push(job.name);
    return ran;
  }

  /**
   * Runs `job` if its latest occurrence has not run. `claimed`: the occurrence node-cron's coordinator
   * already claimed for this process (a regular tick); otherwise it is claimed here (the catch-up).
   */
  private async runIfDue(job: Job, claimed: Date | null = null): Promise<boolean> {
    if (this.running.has(job.name)) {
      if (!claimed) return false;
      // This process claimed the occurrence: it must run, after the run in progress.
      while (this.running.has(job.name)) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const now = this.clock();
    const slot = claimed ?? previousOccurrence(job.schedule, now, this.zone);
    if (!claimed && !isDue(job.schedule, await this.stamps.lastRun(job.name), now, this.zone)) return false;
    if (!claimed && !(await this.claim(job, slot, now))) return false;
    const log = this.logger.child({ job: job.name, slot: slot.toISOString() });
    const coordination = this.coordination;
    const finishSlot = async () => {
      if (coordination) await coordination.slots.finish(job.name, slot, coordination.holder, this.clock());
    };
    if (job.catchUpHours !== undefined && now.getTime() - slot.getTime() > job.catchUpHours * 3_600_000) {
      await this.stamps.recordRun(job.name, now, "skipped: too late to catch up");
      await finishSlot();
      log.info("missed run skipped: too late to catch up");
      return false;
    }
    this.running.add(job.name);
    const leaseMs = coordination?.leaseMs ?? SLOT_LEASE_MS;
    const renewal = coordination
      ? setInterval(
          () =>
            void coordination.slots
              .renew(job.name, slot, coordination.holder, new Date(this.clock().getTime() + leaseMs))
              .catch(() => undefined),
          Math.floor(leaseMs / 3),
        )
      : null;
    try {
      await job.run(now);
      await this.stamps.recordRun(job.name, now, null);
      await finishSlot();
      log.info("job ran");
    } catch (error) {
      log.error({ err: error }, "job failed");
      this.onError(error);
      // The stamp records the attempt: a failing job retries at its next occurrence, not in a tight loop.
      // (On a full disk the stamp cannot be written either: the job tries again at its next occurrence.)
      await this.stamps
        .recordRun(job.name, now, error instanceof Error ? error.message : String(error))
        .catch((stampError: unknown) => this.onError(stampError));
      await finishSlot().catch((stampError: unknown) => this.onError(stampError));
    } finally {
      if (renewal) clearInterval(renewal);
      this.running.delete(job.name);
    }
    return true;
  }

  /** For the health check: the jobs scheduled and those running now. */
  state(): { started: boolean; jobs: number; running: string[] } {
    return { started: this.tasks.length > 0, jobs: this.jobs.length, running: [...this.running] };
  }

  /** Catches up missed runs, then wakes on each job's schedule. */
  async start(): Promise<void> {
    await this.runDue();
    for (const job of this.jobs) {
      // A run that cannot even read its stamp (the database unreadable) is logged, never an unhandled rejection.
      const tick = (context: TaskContext) =>
        void this.runIfDue(
          job,
          this.coordination ? new Date(Math.floor(context.date.getTime() / 1000) * 1000) : null,
        ).catch((error: unknown) => {
          this.logger.error({ err: error, job: job.name }, "job could not run");
          this.onError(error);
        });
      const distributed = this.coordination ? { distributed: true, runCoordinator: this.coordinatorFor(job) } : {};
      // A tick up to a minute late (a busy or suspended process) still runs; later than that, or later than
      // the next occurrence, node-cron reports it missed: it is claimed and run here all the same.
      const task = cron.schedule(cronExpression(job.schedule), tick, {
        timezone: this.zone,
        noOverlap: true,
        name: job.name,
        missedExecutionTolerance: 60_000,
        ...distributed,
      });
      if (this.coordination) {
        const coordinator = this.coordinatorFor(job);
        task.on("execution:missed", async (context) => {
          const slot = new Date(Math.floor(context.date.getTime() / 1000) * 1000);
          if (await coordinator.shouldRun(`${job.name}:${slot.toISOString()}`).catch(() => false))
            tick({ ...context, date: slot });
        });
      }
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    this.tasks.length = 0;
    while (this.running.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
