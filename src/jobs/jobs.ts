// The registry of named jobs: what runs when (Asia/Ho_Chi_Minh by default, the deployment's zone).
import type { AppDeps } from "../app/deps.js";
import { runRuleScan } from "../app/rule-scan.js";
import type { Job } from "./scheduler.js";

export function createJobs(app: AppDeps): Job[] {
  return [
    {
      name: "rule-scan",
      // Early morning: findings are ready before the office opens.
      schedule: { kind: "daily", hour: 6, minute: 0 },
      run: async (now) => {
        await runRuleScan(app, now);
      },
    },
  ];
}
