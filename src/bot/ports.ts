// What the chat layer keeps outside the use cases, as two small ports the composition root passes in
// (src/runtime.ts gives it the repositories and the update gate): the conversation in progress of each
// chat, and the gate every update passes (handled once, in order per chat, across processes). Everything
// else the bot reads or writes goes through src/app.

/** A chat's flow in progress, as stored: restarts resume it. */
export interface StoredConversation {
  flow: string;
  step: string;
  data: Record<string, unknown>;
}

export interface ConversationStore {
  get(key: string): Promise<StoredConversation | null>;
  set(key: string, state: StoredConversation): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Runs an update's handler once (Telegram delivers some updates twice), one at a time per chat. */
export interface UpdateGate {
  handle(updateId: number, chatKey: string, work: () => Promise<void>): Promise<"handled" | "duplicate">;
}

/**
 * The gate could not take the update now (its chat stayed busy in another process): it was not handled and
 * must not be answered, so that Telegram delivers it again. Such errors carry `retryLater: true`.
 */
export function isRetryLater(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { retryLater?: unknown }).retryLater === true;
}

export interface ChatPorts {
  readonly conversations: ConversationStore;
  readonly updates: UpdateGate;
}
