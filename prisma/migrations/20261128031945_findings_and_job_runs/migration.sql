-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "lastRunAt" DATETIME NOT NULL,
    "lastError" TEXT
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL,
    "escalatedAt" DATETIME,
    "resolvedAt" DATETIME,
    "handledAt" DATETIME,
    "decision" TEXT,
    "note" TEXT,
    "handledByTelegramId" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "Finding_key_key" ON "Finding"("key");

-- CreateIndex
CREATE INDEX "Finding_branchId_status_idx" ON "Finding"("branchId", "status");

-- CreateIndex
CREATE INDEX "Finding_status_idx" ON "Finding"("status");
