// The store: repositories bound to the client or to one transaction. Use cases that write run
// inside `transaction`, so a change and its audit entry commit together or not at all.
import { dialectOf, POSTGRES_POOL_SIZE, type Db, type Tx } from "./client.js";
import { isSerializationFailure } from "./errors.js";
import { auditRepository } from "./repositories/audit.js";
import { branchRepository, meetingSettingsRepository, scheduleRepository } from "./repositories/branches.js";
import { duesRepository } from "./repositories/dues.js";
import { evaluationRepository } from "./repositories/evaluations.js";
import { flowSaveRepository } from "./repositories/flow-saves.js";
import { dataExportRepository } from "./repositories/data-export.js";
import { awayRepository } from "./repositories/away.js";
import { findingRepository } from "./repositories/findings.js";
import { jobRunRepository } from "./repositories/jobs.js";
import { outboxRepository } from "./repositories/outbox.js";
import { ruleFactsRepository } from "./repositories/rule-facts.js";
import { reportRepository } from "./repositories/reports.js";
import { committeeSettingsRepository, settingsRepository } from "./repositories/settings.js";
import { holidayRepository } from "./repositories/holidays.js";
import { preferenceRepository } from "./repositories/preferences.js";
import { explanationRepository, meetingRepository, taskRepository } from "./repositories/meetings.js";
import { branchGroupRepository, meetingNoticeRepository } from "./repositories/meeting-notices.js";
import { committeeRepository } from "./repositories/committee.js";
import { conversationRepository } from "./repositories/conversations.js";
import { invitationRepository } from "./repositories/invitations.js";
import { memberRepository } from "./repositories/members.js";
import { processedUpdateRepository } from "./repositories/processed-updates.js";
import { jobSlotRepository, leaseRepository } from "./repositories/leases.js";
import { userRepository } from "./repositories/users.js";

export function repositoriesFor(db: Tx) {
  return {
    audit: auditRepository(db),
    away: awayRepository(db),
    branches: branchRepository(db),
    committee: committeeRepository(db),
    dataExport: dataExportRepository(db),
    conversations: conversationRepository(db),
    dues: duesRepository(db),
    evaluations: evaluationRepository(db),
    invitations: invitationRepository(db),
    members: memberRepository(db),
    meetings: meetingRepository(db),
    meetingSettings: meetingSettingsRepository(db),
    meetingNotices: meetingNoticeRepository(db),
    branchGroups: branchGroupRepository(db),
    schedules: scheduleRepository(db),
    tasks: taskRepository(db),
    explanations: explanationRepository(db),
    findings: findingRepository(db),
    flowSaves: flowSaveRepository(db),
    jobRuns: jobRunRepository(db),
    jobSlots: jobSlotRepository(db),
    leases: leaseRepository(db),
    outbox: outboxRepository(db),
    ruleFacts: ruleFactsRepository(db),
    reports: reportRepository(db),
    settings: settingsRepository(db),
    committeeSettings: committeeSettingsRepository(db),
    holidays: holidayRepository(db),
    preferences: preferenceRepository(db),
    processedUpdates: processedUpdateRepository(db),
    users: userRepository(db),
  };
}

export type Repositories = ReturnType<typeof repositoriesFor>;

export interface TransactionOptions {
  /** Lifts the 15 s limit for a rare long transaction (a commune's daily scan): for jobs, not replies. */
  timeoutMs?: number;
  /**
   * "snapshot": on PostgreSQL, REPEATABLE READ instead of SERIALIZABLE — one consistent snapshot, and a row
   * another transaction changed meanwhile still fails with a serialization error (retried), but no predicate
   * locks: for a large job that runs side by side with others of its kind on disjoint data (the scan's
   * communes), where SERIALIZABLE's locks, raised to whole tables on thousands of rows read, would make them
   * fail each other. SQLite is serializable either way.
   */
  isolation?: "serializable" | "snapshot";
}

export interface Store {
  readonly repos: Repositories;
  /** Runs `work` in one transaction. */
  transaction<T>(work: (repos: Repositories) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * How many transactions a job may run side by side: 1 on SQLite (one writer at a time), half the connection
   * pool on PostgreSQL (the other half stays for the bot's replies).
   */
  readonly sideBySide: number;
  close(): Promise<void>;
}

/** Attempts of one PostgreSQL transaction that keeps meeting a concurrent one's writes, before giving up. */
export const SERIALIZABLE_ATTEMPTS = 5;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createStore(db: Db): Store {
  const options = { timeout: 15_000, maxWait: 15_000 };
  if (dialectOf(db) === "sqlite") {
    // SQLite runs one write transaction at a time: every transaction is serializable already.
    return {
      repos: repositoriesFor(db),
      transaction: (work, given) =>
        db.$transaction((tx) => work(repositoriesFor(tx)), {
          ...options,
          timeout: given?.timeoutMs ?? options.timeout,
        }),
      sideBySide: 1,
      close: () => db.$disconnect(),
    };
  }
  // PostgreSQL runs transactions side by side. Under its default READ COMMITTED, use cases that read then
  // write (redeem an invitation, number a report "highest + 1") would race; SERIALIZABLE makes the database
  // refuse the loser (40001, or 40P01 for a deadlock) instead, and the loser runs again on fresh data. The
  // work must therefore only touch the database (or be safe to repeat) until it returns.
  return {
    repos: repositoriesFor(db),
    async transaction(work, given) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.$transaction((tx) => work(repositoriesFor(tx)), {
            ...options,
            timeout: given?.timeoutMs ?? options.timeout,
            // `Db` is typed as the SQLite client, which knows one level; the PostgreSQL client behind it takes all.
            isolationLevel: (given?.isolation === "snapshot" ? "RepeatableRead" : "Serializable") as "Serializable",
          });
        } catch (error) {
          if (attempt >= SERIALIZABLE_ATTEMPTS || !isSerializationFailure(error)) throw error;
          await pause(Math.random() * 20 * attempt);
        }
      }
    },
    sideBySide: Math.max(1, Math.floor(POSTGRES_POOL_SIZE / 2)),
    close: () => db.$disconnect(),
  };
}
