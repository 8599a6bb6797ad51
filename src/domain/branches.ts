import { foldVietnamese } from "./names.js";
import { fail, ok, type Outcome } from "./outcome.js";

export const MAX_BRANCH_NAME_LENGTH = 80;

/**
 * A branch as running text names it: "Chi bộ Ấp 3" whether the committee named it "Chi bộ Ấp 3" or "Ấp 3"
 * — the prefix is added only when the name lacks one, so it never reads "Chi bộ Chi bộ Ấp 3".
 */
export function branchTitle(name: string): string {
  return /^(chi bo|dang bo)\b/.test(foldVietnamese(name).trim()) ? name : `Chi bộ ${name}`;
}

/** "Chi bộ Ấp 3", "Chi bộ thôn Đông": letters, digits, spaces and a few marks. */
export function parseBranchName(raw: string): Outcome<string, "BRANCH.NAME_INVALID" | "BRANCH.NAME_TOO_LONG"> {
  const name = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  if (name.length > MAX_BRANCH_NAME_LENGTH) return fail("BRANCH.NAME_TOO_LONG", { max: MAX_BRANCH_NAME_LENGTH });
  if (name.length < 2 || !/^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'’()/-]*$/u.test(name))
    return fail("BRANCH.NAME_INVALID");
  return ok(name);
}
