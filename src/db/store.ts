// The store: repositories bound to the client or to one transaction. Use cases that write run
// inside `transaction`, so a change and its audit entry commit together or not at all.
import { dialectOf, type Db, type Tx } from "./client.js";
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

export interface Store {
  readonly repos: Repositories;
  /**
   * Runs `work` in one transaction. `timeoutMs` lifts the 15 s limit for the rare long one (the daily scan of
   * a whole province): a transaction open that long holds its snapshot, so it is for jobs, not replies.
   */
  transaction<T>(work: (repos: Repositories) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
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
            isolationLevel: "Serializable",
          });
        } catch (error) {
          if (attempt >= SERIALIZABLE_ATTEMPTS || !isSerializationFailure(error)) throw error;
          await pause(Math.random() * 20 * attempt);
        }
      }
    },
    close: () => db.$disconnect(),
  };
}
