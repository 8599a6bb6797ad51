-- CreateTable
CREATE TABLE "AwayProfile" (
    "memberId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "place" TEXT NOT NULL,
    "work" TEXT,
    "contact" TEXT,
    "since" TEXT,
    "updatedAt" DATETIME NOT NULL,
    "updatedByTelegramId" TEXT NOT NULL,
    CONSTRAINT "AwayProfile_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExemptionRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "place" TEXT,
    "paperNumber" TEXT,
    "paperDate" TEXT,
    "state" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "createdByTelegramId" TEXT NOT NULL,
    "decidedAt" DATETIME,
    "decidedByTelegramId" TEXT,
    "decisionNote" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ExemptionRequest_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sha256" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "uploadedByTelegramId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "place" TEXT NOT NULL,
    "work" TEXT,
    "phone" TEXT,
    "fileId" INTEGER,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "CheckIn_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CheckIn_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SelfReview" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "text" TEXT,
    "fileId" INTEGER,
    "submittedAt" DATETIME NOT NULL,
    "reviewedAt" DATETIME,
    "reviewedByTelegramId" TEXT,
    "reviewComment" TEXT,
    CONSTRAINT "SelfReview_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SelfReview_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Transfer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "organisation" TEXT NOT NULL,
    "letterNumber" TEXT,
    "letterDate" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "deadline" TEXT,
    "arrivedOn" TEXT,
    "returnedOn" TEXT,
    "createdAt" DATETIME NOT NULL,
    "createdByTelegramId" TEXT NOT NULL,
    CONSTRAINT "Transfer_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ResidenceContact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchId" INTEGER NOT NULL,
    "fullName" TEXT NOT NULL,
    "workplaceOrg" TEXT NOT NULL,
    "address" TEXT,
    "phone" TEXT,
    "createdAt" DATETIME NOT NULL,
    "removedAt" DATETIME,
    CONSTRAINT "ResidenceContact_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ResidenceComment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "recordedByTelegramId" TEXT NOT NULL,
    CONSTRAINT "ResidenceComment_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "ResidenceContact" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ExemptionRequest_memberId_idx" ON "ExemptionRequest"("memberId");

-- CreateIndex
CREATE INDEX "ExemptionRequest_branchId_state_idx" ON "ExemptionRequest"("branchId", "state");

-- CreateIndex
CREATE INDEX "CheckIn_memberId_createdAt_idx" ON "CheckIn"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "SelfReview_year_idx" ON "SelfReview"("year");

-- CreateIndex
CREATE UNIQUE INDEX "SelfReview_memberId_year_version_key" ON "SelfReview"("memberId", "year", "version");

-- CreateIndex
CREATE INDEX "Transfer_memberId_idx" ON "Transfer"("memberId");

-- CreateIndex
CREATE INDEX "Transfer_branchId_state_idx" ON "Transfer"("branchId", "state");

-- CreateIndex
CREATE INDEX "ResidenceContact_branchId_idx" ON "ResidenceContact"("branchId");

-- CreateIndex
CREATE UNIQUE INDEX "ResidenceComment_contactId_year_key" ON "ResidenceComment"("contactId", "year");
