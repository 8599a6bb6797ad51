// When named jobs are due, in the deployment's zone: daily at a time, or monthly on a day (1–28) or on
// the last day of the month (months have 28 to 31 days). Pure, so catch-up after downtime is computable:
// the latest occurrence not after `now` tells whether a run was missed.
import { DateTime } from "luxon";

export type JobSchedule =
  | { kind: "daily"; hour: number; minute: number }
  | { kind: "monthly"; day: number | "LAST"; hour: number; minute: number }
  | { kind: "every"; seconds: number };

function at(date: DateTime, schedule: Exclude<JobSchedule, { kind: "every" }>): DateTime {
  return date.set({ hour: schedule.hour, minute: schedule.minute, second: 0, millisecond: 0 });
}

function monthlyIn(month: DateTime, schedule: Extract<JobSchedule, { kind: "monthly" }>): DateTime {
  const day = schedule.day === "LAST" ? month.daysInMonth! : schedule.day;
  return at(month.set({ day }), schedule);
}

/** The latest scheduled instant not after `now`. */
export function previousOccurrence(schedule: JobSchedule, now: Date, zone: string): Date {
  const local = DateTime.fromJSDate(now, { zone });
  // The last multiple of `seconds` within the minute (cron's */N), so every process names the same slot.
  if (schedule.kind === "every")
    return local.set({ second: local.second - (local.second % schedule.seconds), millisecond: 0 }).toJSDate();
  if (schedule.kind === "daily") {
    const today = at(local, schedule);
    return (today <= local ? today : today.minus({ days: 1 })).toJSDate();
  }
  const thisMonth = monthlyIn(local.startOf("month"), schedule);
  return (thisMonth <= local ? thisMonth : monthlyIn(local.startOf("month").minus({ months: 1 }), schedule)).toJSDate();
}

/**
 * Whether a job must run now: it never ran, or a scheduled instant has passed since its last run. A
 * process down for a week runs a daily job once on start, not seven times: each run looks at the state
 * of the world as it is then.
 */
export function isDue(schedule: JobSchedule, lastRunAt: Date | null, now: Date, zone: string): boolean {
  const previous = previousOccurrence(schedule, now, zone);
  return lastRunAt === null || lastRunAt.getTime() < previous.getTime();
}

/** The cron expression node-cron uses to wake the scheduler for this schedule (the last-day rule is checked by isDue). */
export function cronExpression(schedule: JobSchedule): string {
  if (schedule.kind === "every") return `*/${Math.max(1, Math.min(59, schedule.seconds))} * * * * *`;
  if (schedule.kind === "daily") return `${schedule.minute} ${schedule.hour} * * *`;
  // "Last day" cannot be said in cron: wake on days 28–31 and let isDue decide.
  return schedule.day === "LAST"
    ? `${schedule.minute} ${schedule.hour} 28-31 * *`
    : `${schedule.minute} ${schedule.hour} ${schedule.day} * *`;
}
