-- CreateTable
CREATE TABLE "BranchGroup" (
    "branchId" INTEGER NOT NULL PRIMARY KEY,
    "chatId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "linkedAt" DATETIME NOT NULL,
    "linkedByTelegramId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "GroupLinkRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "branchId" INTEGER NOT NULL,
    "requestedByTelegramId" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING'
);

-- CreateIndex
CREATE UNIQUE INDEX "BranchGroup_chatId_key" ON "BranchGroup"("chatId");
