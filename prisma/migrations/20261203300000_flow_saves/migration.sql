-- CreateTable
CREATE TABLE "FlowSave" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatKey" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "savedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "FlowSave_savedAt_idx" ON "FlowSave"("savedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowSave_chatKey_flowId_key" ON "FlowSave"("chatKey", "flowId");
