// Configuration: read once at start-up from the environment (and .env), validated with zod.
// A bad value stops start-up with a message naming the variable, before anything is written.
import { z } from "zod";
import { dialectOfUrl, type Dialect } from "./db/dialect.js";

const TELEGRAM_API = "https://api.telegram.org";
/** BotFather tokens look like "123456789:AA...": a numeric bot id, a colon, 30+ url-safe characters. */
const BOT_TOKEN_SHAPE = /^\d{5,16}:[A-Za-z0-9_-]{30,}$/;

const telegramIdList = z
  .string()
  .default("")
  .transform((raw, ctx) => {
    const ids = raw
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part.length > 0);
    for (const id of ids) {
      if (!/^\d{1,16}$/.test(id)) {
        ctx.addIssue({ code: "custom", message: `"${id}" is not a numeric Telegram user id` });
        return z.NEVER;
      }
    }
    return ids;
  });

/** Where the data lives unless configured: also the backup tools' defaults (src/backup/storage.ts). */
export const DEFAULT_DATABASE_URL = "file:./data/chibo.db";
export const DEFAULT_FILES_DIR = "./data/files";

const schema = z.object({
  BOT_TOKEN: z
    .string({ error: "is missing" })
    .trim()
    .regex(BOT_TOKEN_SHAPE, "does not look like a bot token (digits, a colon, then letters)"),
  DATABASE_URL: z
    .string()
    .trim()
    .default(DEFAULT_DATABASE_URL)
    .refine(
      (url) => url.startsWith("file:") || /^postgres(ql)?:\/\/./.test(url),
      "must be a SQLite file URL such as file:./data/chibo.db or a PostgreSQL URL such as postgresql://chibo@localhost:5432/chibo",
    ),
  TELEGRAM_API_ROOT: z.url().default(TELEGRAM_API),
  ADMIN_TELEGRAM_IDS: telegramIdList,
  PROVINCE_ADMIN_TELEGRAM_IDS: telegramIdList,
  APP_TIMEZONE: z
    .string()
    .default("Asia/Ho_Chi_Minh")
    .refine((zone) => isKnownTimeZone(zone), "is not an IANA time zone such as Asia/Ho_Chi_Minh"),
  DEFAULT_LOCALE: z.enum(["vi", "en"]).default("vi"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  COMMITTEE_NAME: z.string().trim().min(1).default("Đảng bộ xã"),
  COMMITTEE_PLACE: z.string().trim().default(""),
  PARENT_PARTY_NAME: z.string().trim().default(""),
  TERM_START_YEAR: z.coerce.number().int().min(2000).max(2100).default(2025),
  FILES_DIR: z.string().trim().min(1).default(DEFAULT_FILES_DIR),
  WEBHOOK_URL: z
    .url()
    .refine(
      (url) => url.startsWith("https://"),
      "must be a public https:// URL (Telegram delivers webhooks over HTTPS only)",
    )
    .optional(),
  // Telegram allows 1–256 of A–Z, a–z, 0–9, _ and -; a short one could be guessed.
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,256}$/, "must be 32 to 256 letters, digits, _ or - (e.g. openssl rand -hex 32)")
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  HOUSEKEEPING_SECONDS: z.coerce
    .number()
    .int()
    .refine(
      (seconds) => seconds >= 1 && seconds <= 30 && 60 % seconds === 0,
      "must divide a minute: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30",
    )
    .default(30),
});

/** Every environment variable the bot reads: README and .env.example document each (test/architecture). */
export const SETTING_NAMES: readonly string[] = Object.keys(schema.shape);

export interface Config {
  readonly botToken: string;
  readonly databaseUrl: string;
  /** The engine DATABASE_URL names: `file:` is SQLite (the default), `postgresql://` PostgreSQL. */
  readonly dialect: Dialect;
  /** Absolute or cwd-relative path of the SQLite file derived from DATABASE_URL; null on PostgreSQL. */
  readonly databaseFile: string | null;
  readonly telegramApiRoot: string;
  readonly adminTelegramIds: readonly string[];
  /** The deployment's admins (PROVINCE_ADMIN): they create communes and invite each one's first admin. */
  readonly provinceAdminTelegramIds: readonly string[];
  readonly timeZone: string;
  readonly defaultLocale: "vi" | "en";
  readonly logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  readonly invitationTtlDays: number;
  readonly committeeName: string;
  readonly committeePlace: string;
  /** The Đảng bộ above the commune's (e.g. "Đảng bộ tỉnh Đồng Nai"), first line of the committee's reports. */
  readonly parentPartyName: string;
  /** The first year of the committee's term (nhiệm kỳ): reports are numbered through the term. */
  readonly termStartYear: number;
  /** Where files members send (self-reviews, check-in attachments) are stored. */
  readonly filesDir: string;
  /** How often the housekeeping job prunes old update ids, leases and job claims (s). */
  readonly housekeepingSeconds: number;
  /** Webhook mode when set (several processes may share the database); long polling otherwise. */
  readonly webhook: WebhookConfig | null;
}

export interface WebhookConfig {
  /** The public HTTPS URL Telegram posts to (the reverse proxy's), registered with setWebhook. */
  readonly url: string;
  /** The path of that URL: the route this process serves the webhook on. */
  readonly path: string;
  /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token with every update. */
  readonly secret: string;
  readonly port: number;
  readonly host: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "file:./data/chibo.db" -> "./data/chibo.db"; query strings are not part of the path. */
export function sqliteFileOf(databaseUrl: string): string {
  return databaseUrl.slice("file:".length).split("?")[0] ?? "";
}

const HINTS: Record<string, string> = {
  BOT_TOKEN:
    "Create a bot with @BotFather in Telegram (/newbot), copy the token it gives you and set BOT_TOKEN=<token> in the environment or in .env.",
};

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const emptyAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(emptyAsUnset);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "configuration");
      const hint = HINTS[name] ? ` ${HINTS[name]}` : "";
      return `${name} ${issue.message}.${hint}`;
    });
    throw new ConfigError(problems);
  }
  const values = parsed.data;
  if (values.WEBHOOK_URL && !values.WEBHOOK_SECRET) {
    throw new ConfigError([
      "WEBHOOK_SECRET is missing: with WEBHOOK_URL set, every webhook request must carry the secret (e.g. openssl rand -hex 32).",
    ]);
  }
  const webhook = values.WEBHOOK_URL
    ? Object.freeze({
        url: values.WEBHOOK_URL,
        path: new URL(values.WEBHOOK_URL).pathname,
        secret: values.WEBHOOK_SECRET!,
        port: values.PORT,
        host: values.HOST,
      })
    : null;
  return Object.freeze({
    botToken: values.BOT_TOKEN,
    databaseUrl: values.DATABASE_URL,
    dialect: dialectOfUrl(values.DATABASE_URL),
    databaseFile: dialectOfUrl(values.DATABASE_URL) === "sqlite" ? sqliteFileOf(values.DATABASE_URL) : null,
    telegramApiRoot: values.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
    adminTelegramIds: Object.freeze([...values.ADMIN_TELEGRAM_IDS]),
    provinceAdminTelegramIds: Object.freeze([...values.PROVINCE_ADMIN_TELEGRAM_IDS]),
    timeZone: values.APP_TIMEZONE,
    defaultLocale: values.DEFAULT_LOCALE,
    logLevel: values.LOG_LEVEL,
    invitationTtlDays: values.INVITATION_TTL_DAYS,
    committeeName: values.COMMITTEE_NAME,
    committeePlace: values.COMMITTEE_PLACE,
    parentPartyName: values.PARENT_PARTY_NAME,
    termStartYear: values.TERM_START_YEAR,
    filesDir: values.FILES_DIR,
    housekeepingSeconds: values.HOUSEKEEPING_SECONDS,
    webhook,
  });
}
