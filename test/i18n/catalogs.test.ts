import { describe, expect, it } from "vitest";
import { IMPORT_COLUMNS, RATE_COLUMNS } from "../../src/domain/roster-import.js";
import { MEMBER_KINDS, MEMBER_STATES, type FieldProblem } from "../../src/domain/members.js";
import { BRANCH_ROLES, COMMITTEE_ROLES, type Audience } from "../../src/domain/roles.js";
import type { RowProblem, ImportPreview } from "../../src/domain/roster-import.js";
import { COMMANDS_BY_AUDIENCE, helpKey } from "../../src/bot/commands.js";
import { errorKey, knownErrorCodes } from "../../src/bot/error-messages.js";
import { OUTCOME_CODES } from "../../src/domain/outcome.js";
import { en } from "../../src/i18n/en.js";
import { vi } from "../../src/i18n/vi.js";
import { catalogs, hasKey, interpolate, keysOf, translator, LOCALES, type MessageKey } from "../../src/i18n/index.js";

function valueAt(catalog: object, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog);
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)(?:\|[^{}|]*\|[^{}|]*)?\}/g)].map((m) => m[1]!))].sort();
}

const viKeys = keysOf(vi);
const enKeys = keysOf(en);

describe("message catalogs", () => {
  it("are not trivially small (keysOf walks nested groups)", () => {
    expect(viKeys.length).toBeGreaterThan(100);
    expect(viKeys).toContain("errors.forbidden");
    expect(viKeys).toContain("import.columns.fullName");
  });

  it("have exactly the same keys in Vietnamese and English", () => {
    const missingInEn = viKeys.filter((key) => !enKeys.includes(key));
    const extraInEn = enKeys.filter((key) => !viKeys.includes(key));
    expect({ missingInEn, extraInEn }).toEqual({ missingInEn: [], extraInEn: [] });
    expect(enKeys).toHaveLength(viKeys.length);
  });

  it("use the same {placeholders} for each key in both languages", () => {
    const mismatches = viKeys
      .map((key) => ({
        key,
        vi: placeholders(valueAt(vi, key) as string),
        en: placeholders(valueAt(en, key) as string),
      }))
      .filter((entry) => entry.vi.join(",") !== entry.en.join(","));
    expect(mismatches).toEqual([]);
  });

  it("have no empty or blank messages", () => {
    for (const [locale, catalog] of [["vi", vi] as const, ["en", en] as const]) {
      const blank = keysOf(catalog).filter((key) => (valueAt(catalog, key) as string).trim() === "");
      expect(blank, locale).toEqual([]);
    }
  });

  it("have only strings and groups as values", () => {
    for (const catalog of [vi, en]) {
      for (const key of keysOf(catalog)) expect(typeof valueAt(catalog, key), key).toBe("string");
    }
  });

  it("have no malformed placeholders (unbalanced braces)", () => {
    for (const catalog of [vi, en]) {
      for (const key of keysOf(catalog)) {
        const text = (valueAt(catalog, key) as string).replace(/\{\w+(?:\|[^{}|]*\|[^{}|]*)?\}/g, "");
        expect(text, key).not.toMatch(/[{}]/);
      }
    }
  });

  it("expose both catalogs under every locale", () => {
    expect([...LOCALES].sort()).toEqual(["en", "vi"]);
    expect(catalogs.vi).toBe(vi);
    expect(catalogs.en).toBe(en);
  });
});

describe("keys built at run time", () => {
  it("exist for every error code the bot maps", () => {
    const codes = knownErrorCodes();
    expect(codes.length).toBeGreaterThan(20);
    const missing = codes.filter((code) => !hasKey(errorKey(code)));
    expect(missing).toEqual([]);
  });

  it("map every code a domain check can return to its own message, not the permission fallback", () => {
    const domainCodes: (
      | FieldProblem
      | RowProblem["problem"]
      | Extract<ImportPreview, { ok: false }>["problem"]
      | "BRANCH.NAME_INVALID"
      | "BRANCH.NAME_TOO_LONG"
    )[] = [
      "MEMBER.NAME_EMPTY",
      "MEMBER.NAME_TOO_LONG",
      "MEMBER.NAME_INVALID",
      "MEMBER.KIND_INVALID",
      "MEMBER.PHONE_INVALID",
      "MEMBER.TEXT_TOO_LONG",
      "MEMBER.JOIN_BEFORE_ADULT",
      "MEMBER.OFFICIAL_BEFORE_JOIN",
      "DATE.FORMAT",
      "DATE.IMPOSSIBLE",
      "DATE.FUTURE",
      "DATE.TOO_OLD",
      "IMPORT.DUPLICATE_IN_FILE",
      "IMPORT.RATE_MONTH_WITHOUT_AMOUNT",
      "DUES.AMOUNT_FORMAT",
      "DUES.AMOUNT_NOT_POSITIVE",
      "DUES.AMOUNT_OVER_CAP",
      "DUES.MONTH_FORMAT",
      "DUES.MONTH_TOO_FAR_AHEAD",
      "IMPORT.NO_HEADER",
      "IMPORT.NO_ROWS",
      "IMPORT.TOO_MANY_ROWS",
      "BRANCH.NAME_INVALID",
      "BRANCH.NAME_TOO_LONG",
    ];
    for (const code of domainCodes) {
      expect(knownErrorCodes(), code).toContain(code);
      expect(errorKey(code), code).not.toBe("errors.forbidden");
    }
  });

  it("map exactly the outcome codes, with no fallback for an unknown one", () => {
    // The type check is the real guard: an unknown code does not compile (the directive below fails the
    // type check the day it does), and a code without a message does not either (a Record over the union).
    // @ts-expect-error "NO.SUCH_CODE" is not an outcome code
    const unknown: Parameters<typeof errorKey>[0] = "NO.SUCH_CODE";
    expect(OUTCOME_CODES).not.toContain(unknown);
    expect([...knownErrorCodes()].sort()).toEqual([...OUTCOME_CODES].sort());
  });

  it("exist for every role, member kind, member state, import column and editable field", () => {
    const keys = [
      ...[...COMMITTEE_ROLES, ...BRANCH_ROLES, "MEMBER"].map((role) => `roles.${role}`),
      ...MEMBER_KINDS.map((kind) => `kinds.${kind}`),
      ...MEMBER_STATES.map((state) => `states.${state}`),
      ...[...IMPORT_COLUMNS, ...RATE_COLUMNS].map((column) => `import.columns.${column}`),
      ...IMPORT_COLUMNS.map((field) => `members.fields.${field}`),
    ];
    const missing = keys.filter((key) => !hasKey(key) || valueAt(en, key) === undefined);
    expect(missing).toEqual([]);
  });

  it("exist for every command and help line of every audience", () => {
    for (const [audience, commands] of Object.entries(COMMANDS_BY_AUDIENCE) as [Audience, string[]][]) {
      for (const command of commands) {
        expect(hasKey(`commands.${command}`), `commands.${command}`).toBe(true);
        expect(hasKey(helpKey(command as never, audience)), `${audience} ${command}`).toBe(true);
      }
    }
  });

  it("hasKey is false for groups and unknown keys", () => {
    expect(hasKey("errors")).toBe(false);
    expect(hasKey("errors.noSuchKey")).toBe(false);
    expect(hasKey("errors.forbidden.more")).toBe(false);
    expect(hasKey("")).toBe(false);
  });
});

describe("translator", () => {
  it("interpolates parameters in each language", () => {
    expect(translator("vi")("common.pageOf", { page: 2, pages: 5 })).toBe("Trang 2/5");
    expect(translator("en")("common.pageOf", { page: 2, pages: 5 })).toBe("Page 2/5");
  });

  it("returns the message as is without parameters", () => {
    expect(translator("vi")("errors.forbidden")).toBe(vi.errors.forbidden);
    expect(translator("en")("errors.forbidden")).toBe(en.errors.forbidden);
  });

  it("leaves no placeholder behind when given the parameters a domain error carries", () => {
    for (const locale of LOCALES) {
      const t = translator(locale);
      const text = t(errorKey("MEMBER.NAME_TOO_LONG"), { max: 80 });
      expect(text).toContain("80");
      expect(text).not.toMatch(/\{\w+\}/);
    }
  });

  it("falls back to Vietnamese when the English catalog lacks a key", () => {
    const group = en.common as Record<string, string>;
    const saved = group.skip!;
    delete group.skip;
    try {
      expect(translator("en")("common.skip")).toBe(vi.common.skip);
    } finally {
      group.skip = saved;
    }
    expect(translator("en")("common.skip")).toBe("Skip");
  });

  it("falls back to the key itself when no catalog has it", () => {
    expect(translator("en")("no.such.key" as MessageKey)).toBe("no.such.key");
    expect(translator("vi")("errors" as MessageKey)).toBe("errors");
  });
});

describe("interpolate", () => {
  it("replaces every occurrence and converts numbers", () => {
    expect(interpolate("{a}-{b}-{a}", { a: 1, b: "x" })).toBe("1-x-1");
  });

  it("keeps placeholders that have no parameter", () => {
    expect(interpolate("{a} {missing}", { a: "A" })).toBe("A {missing}");
    expect(interpolate("{a}", undefined)).toBe("{a}");
  });

  it("chooses the singular or plural word of a {name|one|other} token by the number", () => {
    expect(interpolate("Expected at {n} {n|meeting|meetings}", { n: 1 })).toBe("Expected at 1 meeting");
    expect(interpolate("Expected at {n} {n|meeting|meetings}", { n: 0 })).toBe("Expected at 0 meetings");
    expect(interpolate("{n} {n|change|changes}", { n: 2 })).toBe("2 changes");
    expect(interpolate("{n|a|b}", {})).toBe("{n|a|b}");
    expect(
      translator("en")("attendance.ownTitle", {
        name: "An",
        year: 2026,
        expected: 1,
        present: 1,
        excused: 0,
        unexcused: 0,
      }),
    ).toContain("Expected at 1 meeting ·");
    expect(
      translator("en")("meetings.corrected", { date: "01/03/2026", changed: 1, present: 1, expected: 2, rate: "50%" }),
    ).toContain("1 change.");
  });

  it("does not re-interpolate inserted values", () => {
    expect(interpolate("{a}", { a: "{b}", b: "no" })).toBe("{b}");
  });
});
