// One HTTP server per process in webhook mode: Telegram's updates (POST on the webhook's path, behind a
// TLS reverse proxy) and GET /healthz for the load balancer. node:http only: two routes need no framework.
//
// - Every webhook request must carry the secret (X-Telegram-Bot-Api-Secret-Token, compared in constant
//   time): 403 otherwise, before its body is read, and nothing is done.
// - The update is answered once it was handled (200), so Telegram delivers it again (perhaps to another
//   process) when the process died or failed on it (5xx).
// - While draining (SIGTERM), webhook requests get 503 (Telegram retries them, the load balancer sends them
//   to another process) and /healthz says so with 503; requests already in the handler finish.
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Update } from "telegraf/types";

/** Telegram's updates are small; a file's bytes never come in the update itself. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface Health {
  ok: boolean;
  [detail: string]: unknown;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  webhookPath: string;
  secret: string;
  handleUpdate(update: Update): Promise<void>;
  health(): Promise<Health>;
  logger: Pick<Logger, "info" | "warn" | "error">;
}

export interface HttpServer {
  /** The port actually bound (PORT=0 picks a free one). */
  readonly port: number;
  /** Stops taking webhook requests (503), waits for those in the handler, closes the server. */
  drain(): Promise<void>;
  readonly draining: boolean;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json",
    "content-length": data.length,
  });
  res.end(data);
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { logger } = options;
  const expected = digest(options.secret);
  let draining = false;
  const inFlight = new Set<Promise<void>>();

  const secretMatches = (req: IncomingMessage) => {
    const given = req.headers["x-telegram-bot-api-secret-token"];
    return typeof given === "string" && timingSafeEqual(digest(given), expected);
  };

  async function webhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!secretMatches(req)) {
      logger.warn({ from: req.socket.remoteAddress }, "webhook request without the right secret refused");
      return send(res, 403, "Forbidden");
    }
    if (draining) return send(res, 503, "Draining");
    const body = await readBody(req);
    if (body === null) return send(res, 413, "Payload Too Large");
    let update: Update;
    try {
      update = JSON.parse(body.toString("utf8")) as Update;
    } catch {
      return send(res, 400, "Bad Request");
    }
    if (typeof update !== "object" || update === null || !Number.isSafeInteger(update.update_id))
      return send(res, 400, "Bad Request");
    const work = options.handleUpdate(update);
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(tracked);
    try {
      await work;
      send(res, 200, "");
    } catch (error) {
      logger.warn({ err: error, updateId: update.update_id }, "update not handled: Telegram will deliver it again");
      send(res, 500, "Not handled");
    } finally {
      inFlight.delete(tracked);
    }
  }

  async function healthz(res: ServerResponse): Promise<void> {
    let health: Health;
    try {
      health = await options.health();
    } catch (error) {
      health = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (draining) health = { ...health, ok: false, draining: true };
    send(res, health.ok ? 200 : 503, health);
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route =
      req.method === "POST" && path === options.webhookPath
        ? webhook(req, res)
        : req.method === "GET" && path === "/healthz"
          ? healthz(res)
          : Promise.resolve(send(res, 404, "Not Found"));
    route.catch((error: unknown) => {
      logger.error({ err: error }, "http request failed");
      if (!res.headersSent) send(res, 500, "Internal Server Error");
    });
  });
  // Telegram keeps connections open: keep-alive must not hold a draining process up for long.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: options.host, port, path: options.webhookPath }, "webhook server listening");

  let drained: Promise<void> | null = null;
  return {
    port,
    get draining() {
      return draining;
    },
    drain() {
      drained ??= (async () => {
        draining = true;
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
      })();
      return drained;
    },
  };
}
