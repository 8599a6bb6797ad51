// README and .env.example stay true to the code: every environment variable read in src/ is documented in
// both (README's Configuration table, .env.example with its default), nothing documented is no longer read,
// and README's layout paragraph names every folder under src/.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig, SETTING_NAMES } from "../../src/config.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = join(ROOT, "src");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const ENV_EXAMPLE = readFileSync(join(ROOT, ".env.example"), "utf8");

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourcesUnder(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Variables read outside config.ts's schema, as `env.NAME` (the backup tools read a few directly). */
const readDirectly = new Set(
  sourcesUnder(SRC).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!),
  ),
);
const read = new Set([...SETTING_NAMES, ...readDirectly]);

/** The rows of README's Configuration table. */
function readmeSettings(): string[] {
  const section = README.slice(README.indexOf("## Configuration"));
  const table = section.slice(0, section.indexOf("\n## "));
  return [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!);
}

describe("settings are documented", () => {
  it("finds the settings config.ts reads", () => {
    expect(SETTING_NAMES).toContain("BOT_TOKEN");
    expect(SETTING_NAMES).toContain("WEBHOOK_URL");
  });

  it("lists every setting config.ts reads in README's Configuration table, and no other", () => {
    expect([...readmeSettings()].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it("gives every setting a line in .env.example (commented out where it has no default), and no other", () => {
    const documented = [...ENV_EXAMPLE.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    expect(new Set(documented)).toEqual(read);
  });

  it("sets each uncommented .env.example line to the setting's default", () => {
    const example = Object.fromEntries(
      [...ENV_EXAMPLE.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    const token = { BOT_TOKEN: "123456789:AAEabcdefghijklmnopqrstuvwxyz0123456" };
    expect(loadConfig({ ...example, ...token })).toEqual(loadConfig(token));
  });

  it("mentions in README every variable read elsewhere in src/", () => {
    for (const name of readDirectly) expect(README, name).toContain(`\`${name}\``);
  });

  it("names every folder under src/ in README's layout paragraph", () => {
    const layout = README.slice(README.indexOf("Layout: "));
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    for (const folder of folders) expect(layout, folder).toContain(`\`src/${folder}\``);
  });
});
