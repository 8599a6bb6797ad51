-- Several processes on one database: per-chat leases, the sender's role, one run per job occurrence,
-- outbox claims with a lease, and update claims that know whether their handler finished.

-- AlterTable
ALTER TABLE "ProcessedUpdate" ADD COLUMN     "finishedAt" TIMESTAMP(3);
-- Updates claimed before this migration were handled by then.
UPDATE "ProcessedUpdate" SET "finishedAt" = "handledAt";

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Lease" (
    "key" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lease_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "JobSlot" (
    "job" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JobSlot_pkey" PRIMARY KEY ("job","slot")
);

-- CreateIndex
CREATE INDEX "JobSlot_startedAt_idx" ON "JobSlot"("startedAt");

-- CreateIndex
CREATE INDEX "ProcessedUpdate_handledAt_idx" ON "ProcessedUpdate"("handledAt");

