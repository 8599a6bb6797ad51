// Layering rules. The import rules run dependency-cruiser on the real import graph with the project's
// .dependency-cruiser.cjs (bot never imports db, features never import each other, renderers never import
// use cases, domain imports only domain, only db imports Prisma); a fixture with deliberately wrong imports
// shows the rules catch them. The rest is checked on the source text: domain code reads no clock or
// environment, nothing but src/notify sends to Telegram, the operator's tools stay light.
import {
  mkdirSync,
  mkdtempSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = join(ROOT, "src");
const GENERATED = join(SRC, "generated");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return /\.(c|m)?[jt]sx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const rel = (path: string) => relative(ROOT, path).split(sep).join("/");
const isUnder = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

/** Source without comments, so a comment that mentions `new Date()` or an import does not count. */
function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, " "))
    .replace(/(^|[^:\\"'`])\/\/.*$/gm, "$1");
}

/** Every module specifier: static imports and re-exports (type-only included), side-effect imports, import(), require(). */
function specifiersOf(source: string): { specifier: string; line: number }[] {
  const code = stripComments(source);
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const found: { specifier: string; line: number }[] = [];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      found.push({ specifier: match[1]!, line: code.slice(0, match.index).split("\n").length });
    }
  }
  return found;
}

const isPackage = (specifier: string, name: string) => specifier === name || specifier.startsWith(`${name}/`);

const allFiles = walk(SRC).filter((file) => !isUnder(file, GENERATED));
const filesUnder = (dir: string) => allFiles.filter((file) => isUnder(file, join(SRC, dir)));
const sources = new Map(allFiles.map((file) => [file, readFileSync(file, "utf8")]));

describe("the scanner itself", () => {
  it("finds the source tree", () => {
    expect(filesUnder("domain").length).toBeGreaterThan(3);
    expect(filesUnder("bot").length).toBeGreaterThan(3);
    expect(filesUnder("db").length).toBeGreaterThan(3);
  });

  it("sees every kind of import", () => {
    const sample = [
      'import { a } from "telegraf";',
      'import type { B } from "@prisma/client";',
      "import * as fs from 'node:fs';",
      'export { c } from "../db/repositories/members.js";',
      'import "pino";',
      'const m = await import("../generated/prisma/client.js");',
      'const x = require("fs");',
      'import {\n  d,\n  e,\n} from "luxon";',
      '// import { f } from "commented-out";',
      '/* import { g } from "also-commented"; */',
    ].join("\n");
    expect(
      specifiersOf(sample)
        .map((s) => s.specifier)
        .sort(),
    ).toEqual(
      [
        "../db/repositories/members.js",
        "../generated/prisma/client.js",
        "@prisma/client",
        "fs",
        "luxon",
        "node:fs",
        "pino",
        "telegraf",
      ].sort(),
    );
  });

  it("keeps string contents with // (URLs) out of comment stripping", () => {
    expect(stripComments('const u = "https://t.me/x"; // note')).toBe('const u = "https://t.me/x"; ');
  });
});

/** Every rule violation dependency-cruiser finds under `baseDir`/src, as "rule: from -> to". */
async function layerViolations(baseDir: string): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(ROOT, ".dependency-cruiser.cjs"));
  const result = await cruise(["src"], { ...options, baseDir, validate: true });
  const output = result.output as ICruiseResult;
  expect(output.summary.totalCruised, "modules cruised").toBeGreaterThan(0);
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe("the layers, on the import graph", () => {
  it("has no import that breaks a layering rule", async () => {
    const violations = await layerViolations(ROOT);
    expect(violations, violations.join("\n")).toEqual([]);
  });

  describe("catches a deliberately wrong import", () => {
    // A small tree laid out like src/, each wrong import the rules exist for written once.
    let fixture: string;
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    };
    beforeAll(() => {
      fixture = mkdtempSync(join(tmpdir(), "chibo-layers-"));
      write("src/db/store.ts", "export interface Store { ready: boolean }\n");
      write("src/app/members.ts", "export const listMembers = () => [];\n");
      write(
        "src/bot/features/members.ts",
        'import { listMembers } from "../../app/members.js";\nexport const members = listMembers;\n',
      );
      // bot -> db (a type-only import counts too) and feature -> feature:
      write(
        "src/bot/features/dues.ts",
        'import type { Store } from "../../db/store.js";\nimport { members } from "./members.js";\nexport const dues = (store: Store) => (store.ready ? members() : []);\n',
      );
      // A feature's own folder is part of it: not a violation.
      write("src/bot/features/dues/sheet.ts", 'import { dues } from "../dues.js";\nexport const sheet = dues;\n');
      write(
        "src/files/ledger.ts",
        'import { listMembers } from "../app/members.js";\nexport const ledger = listMembers;\n',
      );
      write(
        "src/domain/dues.ts",
        'import { listMembers } from "../app/members.js";\nexport const rule = listMembers;\n',
      );
    });
    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    it("reports bot -> db, feature -> feature, files -> app and domain -> app", async () => {
      expect(await layerViolations(fixture)).toEqual([
        "bot-not-to-db: src/bot/features/dues.ts -> src/db/store.ts",
        "domain-only-domain: src/domain/dues.ts -> src/app/members.ts",
        "feature-not-to-feature: src/bot/features/dues.ts -> src/bot/features/members.ts",
        "files-not-to-app: src/files/ledger.ts -> src/app/members.ts",
      ]);
    });
  });
});

describe("src/domain is pure", () => {
  const domain = filesUnder("domain");

  it("reads no environment and no clock: `now` and `today` are inputs", () => {
    const violations = domain.flatMap((file) => {
      const lines = stripComments(sources.get(file)!).split("\n");
      return lines.flatMap((text, index) => {
        const problems: string[] = [];
        if (/\bprocess\s*(\.\s*env\b|\[)/.test(text)) problems.push("reads process.env");
        if (/\bnew\s+Date\s*\(\s*\)/.test(text)) problems.push("calls new Date()");
        if (/\bDate\s*\.\s*now\s*\(/.test(text)) problems.push("calls Date.now()");
        if (/\bDateTime\s*\.\s*(now|local)\s*\(/.test(text)) problems.push("reads the clock through luxon");
        return problems.map((problem) => `${rel(file)}:${index + 1} ${problem}: ${text.trim()}`);
      });
    });
    expect(violations, violations.join("\n")).toEqual([]);
  });
});

describe("chat handlers go through use cases", () => {
  // The import graph cannot see a property access: ctx.app carries the store for the use cases it is passed to.
  it("has no chat code reaching the store directly (handlers go through use cases)", () => {
    const violations = filesUnder("bot").flatMap((file) =>
      stripComments(sources.get(file)!)
        .split("\n")
        .flatMap((line, index) =>
          /\.store\.|\.repos\./.test(line) ? [`${rel(file)}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(violations, violations.join("\n")).toEqual([]);
  });
});

describe("one path for messages", () => {
  // Anything that does not answer the current update goes through the outbox (queued in the transaction of
  // the change that causes it; src/notify delivers it). Handlers answer the current chat with telegraf's
  // reply helpers (ctx.reply, ctx.replyWithDocument, …), never by naming a chat to send to.
  const SEND =
    /\b(?:send(?:Message|Document|Photo|Video|Audio|Voice|Animation|MediaGroup|Location|Contact|Poll|Sticker|Dice|VideoNote|Venue|Invoice)|copyMessages?|forwardMessages?)\s*\(|\bcallApi\s*\(\s*["'`](?:send|copy|forward)/;
  const sendsIn = (source: string) =>
    stripComments(source)
      .split("\n")
      .flatMap((line, index) => (SEND.test(line) ? [{ line: index + 1, text: line.trim() }] : []));

  it("sees a send however it is written", () => {
    const sample = [
      'await ctx.telegram.sendMessage(1, "x");',
      "await telegram.sendDocument(chat, doc);",
      'await tg.callApi("sendPhoto", {});',
      "bot.telegram.copyMessage(1, 2, 3);",
      "// ctx.telegram.sendMessage(1)",
      'await ctx.reply("x");',
      "await ctx.replyWithDocument(doc);",
    ].join("\n");
    expect(sendsIn(sample).map((s) => s.line)).toEqual([1, 2, 3, 4]);
  });

  it("has no Telegram send outside src/notify", () => {
    const violations = allFiles
      .filter((file) => !isUnder(file, join(SRC, "notify")))
      .flatMap((file) => sendsIn(sources.get(file)!).map(({ line, text }) => `${rel(file)}:${line}: ${text}`));
    expect(violations, violations.join("\n")).toEqual([]);
  });
});

describe("the operator's tools stay light", () => {
  /** A relative import's source file: "./x.js" is written for "./x.ts". */
  const sourceOf = (resolved: string) =>
    [resolved, resolved.replace(/\.js$/, ".ts"), `${resolved}.ts`, join(resolved, "index.ts")].find(
      (path) => existsSync(path) && statSync(path).isFile(),
    ) ?? null;

  /** Every module a script reaches through relative imports, and every package it names on the way. */
  function reach(entry: string): { files: string[]; packages: string[] } {
    const files = new Set<string>();
    const packages = new Set<string>();
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (files.has(file)) continue;
      files.add(file);
      for (const { specifier } of specifiersOf(readFileSync(file, "utf8"))) {
        if (!specifier.startsWith(".")) {
          packages.add(specifier);
          continue;
        }
        const source = sourceOf(resolve(dirname(file), specifier));
        if (source) queue.push(source);
      }
    }
    return { files: [...files].map(rel).sort(), packages: [...packages].sort() };
  }

  // `npm run backup` and `npm run restore` are bundled into dist/tools: the Prisma client (and its engine
  // files) must not come along, nor the bot's framework.
  it.each(["backup", "restore"])("scripts/%s.ts reaches neither Prisma nor telegraf", (name) => {
    const { files, packages } = reach(join(ROOT, "scripts", `${name}.ts`));
    expect(files).toContain(`src/backup/${name}.ts`);
    expect(
      files.filter(
        (file) =>
          file.startsWith("src/generated/") || file === "src/db/client.ts" || file.startsWith("src/db/repositories/"),
      ),
    ).toEqual([]);
    expect(
      packages.filter(
        (specifier) =>
          specifier.startsWith("@prisma/") || isPackage(specifier, "prisma") || isPackage(specifier, "telegraf"),
      ),
    ).toEqual([]);
  });
});
