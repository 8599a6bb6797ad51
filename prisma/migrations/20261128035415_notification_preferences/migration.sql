-- CreateTable
CREATE TABLE "NotificationPreference" (
    "telegramId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("telegramId", "kind")
);
