-- CreateTable
CREATE TABLE "DuesRate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "effectiveMonth" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "basis" TEXT NOT NULL,
    "basisAmount" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByTelegramId" TEXT NOT NULL,
    CONSTRAINT "DuesRate_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DuesRelief" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "percent" INTEGER,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "fromMonth" TEXT NOT NULL,
    "toMonth" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByTelegramId" TEXT NOT NULL,
    "revokedAt" DATETIME,
    CONSTRAINT "DuesRelief_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DuesEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "reversesEntryId" INTEGER,
    "collectedBy" TEXT,
    "note" TEXT,
    "recordedAt" DATETIME NOT NULL,
    "recordedByTelegramId" TEXT NOT NULL,
    CONSTRAINT "DuesEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DuesEntry_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DuesEntry_reversesEntryId_fkey" FOREIGN KEY ("reversesEntryId") REFERENCES "DuesEntry" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DuesEntryMonth" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entryId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    CONSTRAINT "DuesEntryMonth_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "DuesEntry" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DuesMonthClaim" (
    "memberId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "entryId" INTEGER NOT NULL,

    PRIMARY KEY ("memberId", "month"),
    CONSTRAINT "DuesMonthClaim_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "DuesEntry" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DuesRemittance" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "note" TEXT,
    "recordedAt" DATETIME NOT NULL,
    "recordedByTelegramId" TEXT NOT NULL,
    CONSTRAINT "DuesRemittance_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "DuesRate_memberId_effectiveMonth_key" ON "DuesRate"("memberId", "effectiveMonth");

-- CreateIndex
CREATE INDEX "DuesRelief_memberId_idx" ON "DuesRelief"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "DuesEntry_reversesEntryId_key" ON "DuesEntry"("reversesEntryId");

-- CreateIndex
CREATE INDEX "DuesEntry_branchId_recordedAt_idx" ON "DuesEntry"("branchId", "recordedAt");

-- CreateIndex
CREATE INDEX "DuesEntry_memberId_idx" ON "DuesEntry"("memberId");

-- CreateIndex
CREATE INDEX "DuesEntryMonth_memberId_month_idx" ON "DuesEntryMonth"("memberId", "month");

-- CreateIndex
CREATE INDEX "DuesEntryMonth_branchId_month_idx" ON "DuesEntryMonth"("branchId", "month");

-- CreateIndex
CREATE INDEX "DuesEntryMonth_entryId_idx" ON "DuesEntryMonth"("entryId");

-- CreateIndex
CREATE INDEX "DuesMonthClaim_entryId_idx" ON "DuesMonthClaim"("entryId");

-- CreateIndex
CREATE INDEX "DuesRemittance_branchId_period_idx" ON "DuesRemittance"("branchId", "period");
