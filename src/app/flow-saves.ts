// A save happens once. A chat flow (record a meeting, collect dues, add a member, …) saves its result in one
// use case's transaction, and that same transaction records the save, keyed by the chat and the flow's id,
// and closes the flow. So no press after a crash, a retry or a double tap can write it twice: the flow is
// gone (a later press of its buttons is answered with what was saved, from the record), or, should a flow
// still be open, the use case finds the record and answers FLOW.ALREADY_SAVED instead of writing. The record
// keeps the Telegram update that saved: a typed answer that saved, delivered again after a crash, finds its
// flow gone too, and is answered from the record as well.
import type { AppDeps, Request } from "./deps.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import type { FlowSaveRecord } from "../db/repositories/flow-saves.js";
import type { Repositories } from "../db/store.js";

export type { FlowSaveRecord };

/** The chat flow a request saves: its key and id (as its buttons carry it), and what is saved, as the person read it. */
export interface FlowSeal {
  chatKey: string;
  flowId: string;
  flow: string;
  summary: string;
  /** The Telegram update that saves. */
  updateId?: number;
}

/** How long a save is remembered (a press on a week-old button is answered as stale). */
export const FLOW_SAVE_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export type AlreadySaved = {
  ok: false;
  code: "FLOW.ALREADY_SAVED";
  params: { savedAt: string; summary: string; undoneAt?: string };
};

/** At the start of a saving use case's transaction: the earlier save of this flow, if there is one. */
export async function savedBefore(repos: Repositories, request: Request): Promise<AlreadySaved | null> {
  if (!request.seal) return null;
  const earlier = await repos.flowSaves.find(request.seal.chatKey, request.seal.flowId);
  return earlier ? alreadySaved(earlier) : null;
}

/**
 * At the end of a saving use case's transaction, with its writes: the save is recorded and the flow closed.
 * `subject` names what was written when an undo can take it back (see `undoSaves`).
 */
export async function recordSave(repos: Repositories, request: Request, subject: string | null = null): Promise<void> {
  const seal = request.seal;
  if (seal)
    await repos.flowSaves.record(
      seal.chatKey,
      seal.flowId,
      seal.flow,
      seal.summary,
      request.now,
      subject,
      seal.updateId ?? null,
    );
}

/** In an undo's transaction: the saves that wrote `subject` are taken back, so their buttons no longer say "saved". */
export async function undoSaves(repos: Repositories, subject: string, at: Date): Promise<void> {
  await repos.flowSaves.markUndone(subject, at);
}

export function alreadySaved(record: FlowSaveRecord): AlreadySaved {
  const params = { savedAt: record.savedAt.toISOString(), summary: record.summary };
  return {
    ok: false,
    code: "FLOW.ALREADY_SAVED",
    params: record.undoneAt ? { ...params, undoneAt: record.undoneAt.toISOString() } : params,
  };
}

/** What a chat's flow saved, for a press of its buttons after the flow closed. */
export async function earlierSave(
  deps: AppDeps,
  chatKey: string,
  flowId: string,
): Promise<Outcome<FlowSaveRecord, "FLOW.NOT_SAVED">> {
  const record = await deps.store.repos.flowSaves.find(chatKey, flowId);
  return record ? ok(record) : fail("FLOW.NOT_SAVED");
}

/** What a chat's Telegram update saved, for that update delivered again (its answer lost in a crash). */
export async function savedByUpdate(
  deps: AppDeps,
  chatKey: string,
  updateId: number,
): Promise<Outcome<FlowSaveRecord, "FLOW.NOT_SAVED">> {
  const record = await deps.store.repos.flowSaves.findByUpdate(chatKey, updateId);
  return record ? ok(record) : fail("FLOW.NOT_SAVED");
}
