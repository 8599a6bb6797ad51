-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "attachments" TEXT;

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "grade" TEXT NOT NULL,
    "note" TEXT,
    "recordedAt" DATETIME NOT NULL,
    "recordedByTelegramId" TEXT NOT NULL,
    CONSTRAINT "Evaluation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Report" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "issuer" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "periodKind" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "branchId" INTEGER,
    "issuedAt" DATETIME NOT NULL,
    "issuedByTelegramId" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "Evaluation_branchId_year_idx" ON "Evaluation"("branchId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_memberId_year_key" ON "Evaluation"("memberId", "year");

-- CreateIndex
CREATE INDEX "Report_periodKey_branchId_idx" ON "Report"("periodKey", "branchId");

-- CreateIndex
CREATE UNIQUE INDEX "Report_issuer_year_number_key" ON "Report"("issuer", "year", "number");
