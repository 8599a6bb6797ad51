-- Several processes on one database: per-chat leases, the sender's role, one run per job occurrence,
-- outbox claims with a lease, and update claims that know whether their handler finished.

-- AlterTable
ALTER TABLE "ProcessedUpdate" ADD COLUMN "finishedAt" DATETIME;
-- Updates claimed before this migration were handled by then.
UPDATE "ProcessedUpdate" SET "finishedAt" = "handledAt";

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "claimedBy" TEXT;
ALTER TABLE "Notification" ADD COLUMN "leaseUntil" DATETIME;

-- CreateTable
CREATE TABLE "Lease" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "takenAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "JobSlot" (
    "job" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,

    PRIMARY KEY ("job", "slot")
);

-- CreateIndex
CREATE INDEX "JobSlot_startedAt_idx" ON "JobSlot"("startedAt");

-- CreateIndex
CREATE INDEX "ProcessedUpdate_handledAt_idx" ON "ProcessedUpdate"("handledAt");
