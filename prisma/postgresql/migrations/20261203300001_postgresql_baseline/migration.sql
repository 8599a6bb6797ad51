-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Committee" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "placeName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Committee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Branch" (
    "id" SERIAL NOT NULL,
    "committeeId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "foundedOn" TEXT,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "meetingDay" INTEGER,
    "meetingTime" TEXT,
    "meetingPlace" TEXT,
    "recordsFrom" TEXT,

    CONSTRAINT "Branch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "branchId" INTEGER NOT NULL,
    "fullName" TEXT NOT NULL,
    "sortKey" TEXT NOT NULL,
    "birthDate" TEXT,
    "joinDate" TEXT,
    "officialDate" TEXT,
    "arrivalDate" TEXT,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'ACTIVE',
    "stateSince" TEXT,
    "statePaper" TEXT,
    "phone" TEXT,
    "residence" TEXT,
    "workplace" TEXT,
    "isAway" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "telegramId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "fullName" TEXT,
    "username" TEXT,
    "locale" TEXT,
    "memberId" INTEGER,
    "linkedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "branchId" INTEGER,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "grantedBy" TEXT,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "RoleAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" SERIAL NOT NULL,
    "codeHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "branchId" INTEGER,
    "memberId" INTEGER,
    "label" TEXT NOT NULL,
    "createdByTelegramId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedByTelegramId" TEXT,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorTelegramId" TEXT,
    "actorMemberId" INTEGER,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationState" (
    "key" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationState_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "FlowSave" (
    "id" SERIAL NOT NULL,
    "chatKey" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "savedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowSave_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "updateId" TEXT NOT NULL,
    "handledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedUpdate_pkey" PRIMARY KEY ("updateId")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" SERIAL NOT NULL,
    "branchId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "regularKey" TEXT,
    "topic" TEXT,
    "resolution" TEXT,
    "recordedByTelegramId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" SERIAL NOT NULL,
    "meetingId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingTask" (
    "id" SERIAL NOT NULL,
    "meetingId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "doneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AbsenceExplanation" (
    "id" SERIAL NOT NULL,
    "attendanceId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "decision" TEXT NOT NULL DEFAULT 'PENDING',
    "decidedAt" TIMESTAMP(3),
    "decidedByTelegramId" TEXT,
    "note" TEXT,

    CONSTRAINT "AbsenceExplanation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuesRate" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "effectiveMonth" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "basis" TEXT NOT NULL,
    "basisAmount" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByTelegramId" TEXT NOT NULL,

    CONSTRAINT "DuesRate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuesRelief" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "percent" INTEGER,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "fromMonth" TEXT NOT NULL,
    "toMonth" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByTelegramId" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "DuesRelief_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuesEntry" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "reversesEntryId" INTEGER,
    "collectedBy" TEXT,
    "note" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "recordedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "DuesEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuesEntryMonth" (
    "id" SERIAL NOT NULL,
    "entryId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,

    CONSTRAINT "DuesEntryMonth_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuesMonthClaim" (
    "memberId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "entryId" INTEGER NOT NULL,

    CONSTRAINT "DuesMonthClaim_pkey" PRIMARY KEY ("memberId","month")
);

-- CreateTable
CREATE TABLE "DuesRemittance" (
    "id" SERIAL NOT NULL,
    "branchId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "note" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "recordedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "DuesRemittance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AwayProfile" (
    "memberId" INTEGER NOT NULL,
    "place" TEXT NOT NULL,
    "work" TEXT,
    "contact" TEXT,
    "since" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "AwayProfile_pkey" PRIMARY KEY ("memberId")
);

-- CreateTable
CREATE TABLE "ExemptionRequest" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdByTelegramId" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "decidedByTelegramId" TEXT,
    "decisionNote" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExemptionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" SERIAL NOT NULL,
    "sha256" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "uploadedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "place" TEXT NOT NULL,
    "work" TEXT,
    "phone" TEXT,
    "fileId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SelfReview" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "text" TEXT,
    "fileId" INTEGER,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "reviewedAt" TIMESTAMP(3),
    "reviewedByTelegramId" TEXT,
    "reviewComment" TEXT,

    CONSTRAINT "SelfReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Transfer" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdByTelegramId" TEXT NOT NULL,

    CONSTRAINT "Transfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResidenceContact" (
    "id" SERIAL NOT NULL,
    "branchId" INTEGER NOT NULL,
    "fullName" TEXT NOT NULL,
    "workplaceOrg" TEXT NOT NULL,
    "address" TEXT,
    "phone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "ResidenceContact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResidenceComment" (
    "id" SERIAL NOT NULL,
    "contactId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "recordedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "ResidenceComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL,
    "lastRunAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "HolidayYear" (
    "year" INTEGER NOT NULL,
    "days" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,
    "confirmedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "HolidayYear_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "facts" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "escalatedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "handledAt" TIMESTAMP(3),
    "decision" TEXT,
    "note" TEXT,
    "handledByTelegramId" TEXT,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "recipientTelegramId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "buttons" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "telegramMessageId" INTEGER,
    "attachments" TEXT,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BlockedRecipient" (
    "telegramId" TEXT NOT NULL,
    "blockedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BlockedRecipient_pkey" PRIMARY KEY ("telegramId")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "NotificationPreference" (
    "telegramId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("telegramId","kind")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "branchId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "grade" TEXT NOT NULL,
    "note" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "recordedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" SERIAL NOT NULL,
    "issuer" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "periodKind" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "branchId" INTEGER,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "issuedByTelegramId" TEXT NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Branch_committeeId_name_key" ON "Branch"("committeeId", "name");

-- CreateIndex
CREATE INDEX "Member_branchId_sortKey_idx" ON "Member"("branchId", "sortKey");

-- CreateIndex
CREATE UNIQUE INDEX "User_telegramId_key" ON "User"("telegramId");

-- CreateIndex
CREATE UNIQUE INDEX "User_memberId_key" ON "User"("memberId");

-- CreateIndex
CREATE INDEX "RoleAssignment_userId_idx" ON "RoleAssignment"("userId");

-- CreateIndex
CREATE INDEX "RoleAssignment_branchId_role_idx" ON "RoleAssignment"("branchId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_codeHash_key" ON "Invitation"("codeHash");

-- CreateIndex
CREATE INDEX "Invitation_branchId_idx" ON "Invitation"("branchId");

-- CreateIndex
CREATE INDEX "Invitation_memberId_idx" ON "Invitation"("memberId");

-- CreateIndex
CREATE INDEX "AuditLog_entity_entityId_idx" ON "AuditLog"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "FlowSave_savedAt_idx" ON "FlowSave"("savedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowSave_chatKey_flowId_key" ON "FlowSave"("chatKey", "flowId");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_regularKey_key" ON "Meeting"("regularKey");

-- CreateIndex
CREATE INDEX "Meeting_branchId_date_idx" ON "Meeting"("branchId", "date");

-- CreateIndex
CREATE INDEX "Attendance_memberId_idx" ON "Attendance"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_meetingId_memberId_key" ON "Attendance"("meetingId", "memberId");

-- CreateIndex
CREATE INDEX "MeetingTask_memberId_idx" ON "MeetingTask"("memberId");

-- CreateIndex
CREATE INDEX "MeetingTask_meetingId_idx" ON "MeetingTask"("meetingId");

-- CreateIndex
CREATE INDEX "AbsenceExplanation_attendanceId_idx" ON "AbsenceExplanation"("attendanceId");

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

-- CreateIndex
CREATE UNIQUE INDEX "Finding_key_key" ON "Finding"("key");

-- CreateIndex
CREATE INDEX "Finding_branchId_status_idx" ON "Finding"("branchId", "status");

-- CreateIndex
CREATE INDEX "Finding_status_idx" ON "Finding"("status");

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_kind_subject_period_recipientTelegramId_key" ON "Notification"("kind", "subject", "period", "recipientTelegramId");

-- CreateIndex
CREATE INDEX "Evaluation_branchId_year_idx" ON "Evaluation"("branchId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_memberId_year_key" ON "Evaluation"("memberId", "year");

-- CreateIndex
CREATE INDEX "Report_periodKey_branchId_idx" ON "Report"("periodKey", "branchId");

-- CreateIndex
CREATE UNIQUE INDEX "Report_issuer_year_number_key" ON "Report"("issuer", "year", "number");

-- AddForeignKey
ALTER TABLE "Branch" ADD CONSTRAINT "Branch_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Committee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingTask" ADD CONSTRAINT "MeetingTask_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingTask" ADD CONSTRAINT "MeetingTask_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AbsenceExplanation" ADD CONSTRAINT "AbsenceExplanation_attendanceId_fkey" FOREIGN KEY ("attendanceId") REFERENCES "Attendance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AbsenceExplanation" ADD CONSTRAINT "AbsenceExplanation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesRate" ADD CONSTRAINT "DuesRate_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesRelief" ADD CONSTRAINT "DuesRelief_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesEntry" ADD CONSTRAINT "DuesEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesEntry" ADD CONSTRAINT "DuesEntry_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesEntry" ADD CONSTRAINT "DuesEntry_reversesEntryId_fkey" FOREIGN KEY ("reversesEntryId") REFERENCES "DuesEntry"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesEntryMonth" ADD CONSTRAINT "DuesEntryMonth_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "DuesEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesMonthClaim" ADD CONSTRAINT "DuesMonthClaim_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "DuesEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesRemittance" ADD CONSTRAINT "DuesRemittance_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AwayProfile" ADD CONSTRAINT "AwayProfile_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExemptionRequest" ADD CONSTRAINT "ExemptionRequest_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SelfReview" ADD CONSTRAINT "SelfReview_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SelfReview" ADD CONSTRAINT "SelfReview_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidenceContact" ADD CONSTRAINT "ResidenceContact_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidenceComment" ADD CONSTRAINT "ResidenceComment_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "ResidenceContact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
