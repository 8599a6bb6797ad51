-- CreateTable
CREATE TABLE "MeetingNotice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "branchId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "time" TEXT,
    "place" TEXT,
    "topic" TEXT,
    "sentByTelegramId" TEXT NOT NULL,
    "sentAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MeetingNoticeReply" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "noticeId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "reason" TEXT,
    "answeredAt" DATETIME NOT NULL,
    CONSTRAINT "MeetingNoticeReply_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "MeetingNotice" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "MeetingNotice_branchId_date_key" ON "MeetingNotice"("branchId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingNoticeReply_noticeId_memberId_key" ON "MeetingNoticeReply"("noticeId", "memberId");
