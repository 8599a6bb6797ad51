// Structured JSON logs (pino): one root logger; features and updates take child loggers.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: "chibo" }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
