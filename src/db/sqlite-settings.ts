// SQLite settings shared by the bot's Prisma client and the backup tools. A module of its own, with no
// imports: the tools (dist/tools) bundle it without pulling in the Prisma client.

/** How long a connection waits for another's write lock before failing (a backup or a reader meets the bot's writes). */
export const BUSY_TIMEOUT_MS = 5000;
