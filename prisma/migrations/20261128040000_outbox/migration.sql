-- CreateTable
CREATE TABLE "Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "recipientTelegramId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "buttons" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "telegramMessageId" INTEGER
);

-- CreateTable
CREATE TABLE "BlockedRecipient" (
    "telegramId" TEXT NOT NULL PRIMARY KEY,
    "blockedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_kind_subject_period_recipientTelegramId_key" ON "Notification"("kind", "subject", "period", "recipientTelegramId");
