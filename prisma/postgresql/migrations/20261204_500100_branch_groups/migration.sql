-- A branch's linked Telegram group, and the link requests waiting for the officer's confirmation (issue #15 point 4).
CREATE TABLE "BranchGroup" (
    "branchId" INTEGER NOT NULL,
    "chatId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL,
    "linkedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "BranchGroup_pkey" PRIMARY KEY ("branchId")
);

CREATE TABLE "GroupLinkRequest" (
    "id" SERIAL NOT NULL,
    "chatId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "branchId" INTEGER NOT NULL,
    "requestedByTelegramId" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',

    CONSTRAINT "GroupLinkRequest_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "BranchGroup_chatId_key" ON "BranchGroup"("chatId");
