-- Meeting notices and members' replies (issue #15 point 3): one notice per branch and day, one reply per member.
CREATE TABLE "MeetingNotice" (
    "id" SERIAL NOT NULL,
    "branchId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "time" TEXT,
    "place" TEXT,
    "topic" TEXT,
    "sentByTelegramId" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeetingNotice_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "MeetingNoticeReply" (
    "id" SERIAL NOT NULL,
    "noticeId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "reason" TEXT,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeetingNoticeReply_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "MeetingNotice_branchId_date_key" ON "MeetingNotice"("branchId", "date");

CREATE UNIQUE INDEX "MeetingNoticeReply_noticeId_memberId_key" ON "MeetingNoticeReply"("noticeId", "memberId");

ALTER TABLE "MeetingNoticeReply" ADD CONSTRAINT "MeetingNoticeReply_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "MeetingNotice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
