// What every use case receives: the store and the deployment's settings. `now` and the actor come
// with each request; only the composition root reads the clock.
import type { Repositories, Store } from "../db/store.js";
import type { Outcome, OutcomeCode } from "../domain/outcome.js";
import type { Actor } from "../domain/roles.js";
import type { FlowSeal } from "./flow-saves.js";

export interface AppDeps {
  readonly store: Store;
  readonly timeZone: string;
  /** The first commune's admins (ADMIN_TELEGRAM_IDS). */
  readonly adminTelegramIds: readonly string[];
  /** The deployment's admins (PROVINCE_ADMIN_TELEGRAM_IDS); absent or empty in a one-commune install. */
  readonly provinceAdminTelegramIds?: readonly string[];
  readonly invitationTtlDays: number;
  readonly committeeName: string;
  readonly committeePlace: string;
  /** The Đảng bộ above the commune's, for report headers; "" or absent when not configured. */
  readonly parentPartyName?: string;
  /** The first year of a committee term (TERM_START_YEAR): report numbers run through a term. Default 2025. */
  readonly termStartYear?: number;
  /** Where members' files and issued documents are kept (the FILES_DIR folder, src/files/file-store.ts). */
  readonly files: FileStore;
  /** Cryptographic randomness, injectable so tests can pin invitation codes. */
  readonly randomBytes: (size: number) => Buffer;
}

/** A file kept by the file store, named by its content's SHA-256. */
export interface StoredFile {
  sha256: string;
  size: number;
  /** Relative to the store's folder. */
  path: string;
}

/** The file store port: the composition root gives the use cases one (src/files/file-store.ts, on disk). */
export interface FileStore {
  /** Stores the bytes once, under their checksum; an interrupted write leaves nothing under the final name. */
  store(content: Buffer): Promise<StoredFile>;
  /** Reads a stored file back, checked against its checksum. */
  read(path: string, sha256: string): Promise<Buffer>;
}

export interface Request {
  readonly actor: Actor;
  readonly now: Date;
  /** Set when the request saves a chat flow's result: the save is recorded with it, once (app/flow-saves.ts). */
  readonly seal?: FlowSeal;
}

export const PAGE_SIZE = 8;

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pages: number;
  readonly total: number;
}

/** Clamps a requested page (from a button, so untrusted) into range. */
export function pageWindow(
  requested: number,
  total: number,
  size = PAGE_SIZE,
): { page: number; pages: number; skip: number } {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Number.isInteger(requested) ? Math.min(Math.max(requested, 0), pages - 1) : 0;
  return { page, pages, skip: page * size };
}

/** Thrown inside a transaction to undo its writes and answer with this failure instead (see `atomically`). */
export class RollBack extends Error {
  constructor(readonly failure: { ok: false; code: OutcomeCode; params?: Readonly<Record<string, string | number>> }) {
    super(failure.code);
    this.name = "RollBack";
  }
}

/** A transaction whose work may undo itself with `throw new RollBack(failure)`: the failure is then the answer. */
export async function atomically<T>(
  deps: AppDeps,
  work: (repos: Repositories) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  try {
    return await deps.store.transaction(work);
  } catch (error) {
    if (error instanceof RollBack) return error.failure;
    throw error;
  }
}

/** The audit "who" of a request. */
export function auditActor(actor: Actor): { actorTelegramId: string; actorMemberId: number | null } {
  return { actorTelegramId: actor.telegramId, actorMemberId: actor.member?.id ?? null };
}
