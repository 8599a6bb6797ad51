// What the chat layer keeps outside the use cases, as two small ports the composition root passes in
// (src/runtime.ts gives it the repositories): the conversation in progress of each chat, and the updates
// already handled. Everything else the bot reads or writes goes through src/app.

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

export interface ProcessedUpdates {
  /** Records the update as handled: false if it already was (Telegram delivers some updates twice). */
  claim(updateId: number, at: Date): Promise<boolean>;
}

export interface ChatPorts {
  readonly conversations: ConversationStore;
  readonly processedUpdates: ProcessedUpdates;
}
