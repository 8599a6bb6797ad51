// Each rule's words are keys the compiler checks: a rule without its sentence, a sentence or a rule name the
// catalog lacks, do not compile. The @ts-expect-error lines below are checked by `npm run typecheck`: if one of
// them compiled, tsc would fail on the unused directive.
import { describe, expect, it } from "vitest";
import { RULE_IDS, type RuleId } from "../../src/domain/rules/index.js";
import { hasKey, translator } from "../../src/i18n/index.js";
import { RULE_SENTENCES, ruleNameKey, sentenceKey, toMemberKey, type RuleSentences } from "../../src/i18n/findings.js";

describe("finding message keys", () => {
  it("has a sentence and a name in the catalog for every rule", () => {
    expect(Object.keys(RULE_SENTENCES).sort()).toEqual([...RULE_IDS].sort());
    for (const rule of RULE_IDS) expect(hasKey(ruleNameKey(rule))).toBe(true);
    expect(translator("en")(sentenceKey("R4"))).not.toBe("findings.sentences.R4");
  });

  it("does not compile a rule without its sentence, or a key the catalog lacks", () => {
    const { R12_QTHEMATIC: kept, ...withoutR12 } = RULE_SENTENCES;
    // @ts-expect-error R12 has no sentence: the table must cover every rule
    const missingRule: RuleSentences = withoutR12;
    // @ts-expect-error findings.sentences has no "R13"
    const missingSentence = () => sentenceKey("R13");
    // @ts-expect-error findings.toMember has no "R4": R4 is not told to the member
    const missingToMember = () => toMemberKey("R4");
    // @ts-expect-error a rule the domain does not know has no name key
    const unknownRule = () => ruleNameKey("R13_DUES_QUARTER");
    // A rule added to RuleId without its name in alerts.rules makes ruleNameKey itself fail to compile:
    // `alerts.rules.${RuleId}` must be a MessageKey for every rule.
    const everyName: `alerts.rules.${RuleId}` extends Parameters<ReturnType<typeof translator>>[0] ? true : false =
      true;
    expect([kept, missingRule, missingSentence, missingToMember, unknownRule, everyName]).toHaveLength(6);
  });
});
