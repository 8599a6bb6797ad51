// The minutes of a branch meeting as a Word document, in the layout branch secretaries file: the Đảng bộ
// and the Chi bộ top left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date top right, the title, then time
// and place, who took part, the content, the resolution, the tasks, the closing and the two signatures.
// A4 portrait, party-document margins, Times New Roman 14 pt throughout. What the bot does not know (the
// opening and closing time, guests, the discussion) is a dotted line to fill in by hand.
import {
  AlignmentType,
  BorderStyle,
  Document,
  LeaderType,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  UnderlineType,
  VerticalAlignTable,
  WidthType,
} from "docx";
import type { MinutesData } from "../domain/meeting-minutes.js";
import { formatDate, formatPercent } from "../i18n/format.js";
import type { Translate } from "../i18n/index.js";

const FONT = "Times New Roman";
/** Half-points: 14 pt body, 13 pt header blocks, 12 pt hints. */
const BODY = 28;
const HEADER = 26;
const SMALL = 24;
/** A4 in twips, with the margins of party documents (top/bottom 20 mm, left 30 mm, right 15 mm). */
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: 1134, bottom: 1134, left: 1701, right: 851 };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" } as const;
const NO_BORDERS = {
  top: NO_BORDER,
  bottom: NO_BORDER,
  left: NO_BORDER,
  right: NO_BORDER,
  insideHorizontal: NO_BORDER,
  insideVertical: NO_BORDER,
};
const LINE = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;
const LINES = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };
/** A short blank to fill in by hand. */
export const BLANK = "…………";

type Run = { text: string; bold?: boolean; italics?: boolean; underline?: boolean; size?: number };

function run(part: Run | string): TextRun {
  const r = typeof part === "string" ? { text: part } : part;
  return new TextRun({
    text: r.text,
    font: FONT,
    size: r.size ?? BODY,
    bold: r.bold ?? false,
    italics: r.italics ?? false,
    ...(r.underline ? { underline: { type: UnderlineType.SINGLE } } : {}),
  });
}

function para(
  parts: (Run | string)[],
  options: { align?: "center" | "left" | "justify"; indent?: boolean; after?: number } = {},
): Paragraph {
  const alignment =
    options.align === "center"
      ? AlignmentType.CENTER
      : options.align === "left"
        ? AlignmentType.LEFT
        : AlignmentType.JUSTIFIED;
  return new Paragraph({
    alignment,
    spacing: { before: 0, after: options.after ?? 60, line: 300 },
    ...(options.indent ? { indent: { firstLine: 567 } } : {}),
    children: parts.map(run),
  });
}

/** A line of text ending in dots to the right margin: a field left to fill by hand. */
function dottedLine(label = ""): Paragraph {
  return new Paragraph({
    spacing: { before: 0, after: 60, line: 300 },
    indent: { firstLine: label ? 567 : 0 },
    tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH, leader: LeaderType.DOT }],
    children: [run(label), run("\t")],
  });
}

function cell(children: Paragraph[], widthPercent: number, options: { borders?: boolean } = {}): TableCell {
  return new TableCell({
    width: { size: Math.round((TEXT_WIDTH * widthPercent) / 100), type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.TOP,
    ...(options.borders ? {} : { borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER } }),
    children,
  });
}

function twoColumns(left: Paragraph[], right: Paragraph[], leftPercent: number): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [
      Math.round((TEXT_WIDTH * leftPercent) / 100),
      TEXT_WIDTH - Math.round((TEXT_WIDTH * leftPercent) / 100),
    ],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(left, leftPercent), cell(right, 100 - leftPercent)] })],
  });
}

/** "19:30" → "19 giờ 30 phút"; unknown → blanks. */
function clockText(t: Translate, time: string | null): string {
  if (!time) return t("minutes.clock", { hours: BLANK, minutes: BLANK });
  const [hours, minutes] = time.split(":");
  return t("minutes.clock", { hours: hours ?? BLANK, minutes: minutes ?? BLANK });
}

function dayParts(isoDate: string): { day: string; month: string; year: string } {
  const [year = "", month = "", day = ""] = isoDate.split("-");
  return { day, month, year };
}

/** The document's paragraphs and tables, in order. Exported for the text check of the tests. */
function body(data: MinutesData, t: Translate): (Paragraph | Table)[] {
  const upper = (text: string) => text.toLocaleUpperCase("vi");
  const { day, month, year } = dayParts(data.date);
  const header = twoColumns(
    [
      para([{ text: upper(data.committeeName), size: HEADER }], { align: "center", after: 0 }),
      para([{ text: upper(data.branchName), bold: true, size: HEADER }], { align: "center", after: 0 }),
      para([{ text: "*", size: HEADER }], { align: "center" }),
    ],
    [
      para([{ text: t("minutes.partyName"), bold: true, underline: true, size: HEADER + 2 }], {
        align: "center",
        after: 120,
      }),
      para(
        [{ text: t("minutes.dateLine", { place: data.placeName, day, month, year }), italics: true, size: HEADER + 2 }],
        { align: "center" },
      ),
    ],
    42,
  );

  const title = [
    para([{ text: t("minutes.title"), bold: true }], { align: "center", after: 0 }),
    para([{ text: t(`minutes.kindTitle.${data.kind}`, { month, year }), bold: true }], { align: "center", after: 0 }),
    ...(data.kind !== "REGULAR" && data.topic
      ? [para([{ text: t("minutes.topicTitle", { topic: data.topic }), italics: true }], { align: "center", after: 0 })]
      : []),
    para(["-----"], { align: "center", after: 120 }),
  ];

  // A typed name has no known title: the title is left to write in.
  const person = (key: "minutes.chair" | "minutes.minuteTaker", who: MinutesData["chair"]) =>
    t(
      key,
      who
        ? { name: who.name, title: who.title ? t(`minutes.officerTitle.${who.title}`) : BLANK }
        : { name: `${BLANK}${BLANK}`, title: BLANK },
    );
  const people: Paragraph[] = [
    para([{ text: t("minutes.sectionPeople"), bold: true }]),
    para([person("minutes.chair", data.chair)], { indent: true }),
    para([person("minutes.minuteTaker", data.secretary)], { indent: true }),
    para([t("minutes.onRoll", { count: data.onRoll })], { indent: true }),
    para(
      [
        t("minutes.notExpected", {
          count: data.notExpected.length,
          names:
            data.notExpected.length > 0
              ? `: ${data.notExpected.map((p) => `${p.name} (${t(`minutes.notExpectedCause.${p.cause}`)})`).join("; ")}`
              : "",
        }),
      ],
      { indent: true },
    ),
    para([t("minutes.expected", { count: data.counts.expected })], { indent: true }),
    para(
      [
        t("minutes.present", {
          count: data.counts.present,
          expected: data.counts.expected,
          rate: data.rate === null ? BLANK : formatPercent(data.rate, "vi"),
        }),
      ],
      { indent: true },
    ),
    para([t("minutes.excused", { count: data.counts.excused })], { indent: true }),
    ...data.excused.map((p, i) =>
      para([t("minutes.excusedItem", { index: i + 1, name: p.name, reason: p.reason ?? BLANK })], { indent: true }),
    ),
    para([t("minutes.unexcused", { count: data.counts.unexcused })], { indent: true }),
    ...data.unexcused.map((name, i) => para([t("minutes.unexcusedItem", { index: i + 1, name })], { indent: true })),
    dottedLine(t("minutes.guests")),
  ];

  const content: Paragraph[] = [
    para([{ text: t("minutes.sectionContent"), bold: true }]),
    data.topic
      ? para([t("minutes.topic", { topic: data.topic })], { indent: true })
      : dottedLine(t("minutes.topic", { topic: "" })),
    dottedLine(t("minutes.report")),
    dottedLine(),
    dottedLine(t("minutes.discussion")),
    dottedLine(),
    dottedLine(),
    para([{ text: t("minutes.sectionResolution"), bold: true }]),
    ...(data.resolution
      ? data.resolution.split(/\r?\n/).map((line) => para([line], { indent: true }))
      : [dottedLine(" "), dottedLine(), dottedLine()]),
    para([{ text: t("minutes.sectionTasks"), bold: true }]),
  ];

  const widths = [8, 50, 26, 16];
  const headerCell = (text: string, i: number) =>
    cell([para([{ text, bold: true }], { align: "center", after: 0 })], widths[i]!, { borders: true });
  const tasks =
    data.tasks.length === 0
      ? [dottedLine(t("minutes.noTasks")), dottedLine()]
      : [
          new Table({
            width: { size: TEXT_WIDTH, type: WidthType.DXA },
            columnWidths: widths.map((w) => Math.round((TEXT_WIDTH * w) / 100)),
            layout: TableLayoutType.FIXED,
            borders: LINES,
            rows: [
              new TableRow({
                tableHeader: true,
                children: [
                  t("minutes.taskNumber"),
                  t("minutes.taskDescription"),
                  t("minutes.taskOwner"),
                  t("minutes.taskDue"),
                ].map(headerCell),
              }),
              ...data.tasks.map(
                (task, i) =>
                  new TableRow({
                    cantSplit: true,
                    children: [
                      cell([para([String(i + 1)], { align: "center", after: 0 })], widths[0]!, { borders: true }),
                      cell([para([task.description], { align: "left", after: 0 })], widths[1]!, { borders: true }),
                      cell([para([task.name], { align: "left", after: 0 })], widths[2]!, { borders: true }),
                      cell([para([formatDate(task.dueDate)], { align: "center", after: 0 })], widths[3]!, {
                        borders: true,
                      }),
                    ],
                  }),
              ),
            ],
          }),
        ];

  const closing = [
    para([t("minutes.closing", { time: clockText(t, null) })], { indent: true }),
    para([t("minutes.adopted")], { indent: true, after: 240 }),
  ];

  const signature = (role: string, name: string | undefined) => [
    para([{ text: role, bold: true }], { align: "center", after: 0 }),
    para([{ text: t("minutes.signHint"), italics: true, size: SMALL }], { align: "center", after: 1200 }),
    para([{ text: name ?? "", bold: true }], { align: "center" }),
  ];
  const signatures = twoColumns(
    signature(t("minutes.signMinuteTaker"), data.secretary?.name),
    signature(t("minutes.signChair"), data.chair?.name),
    50,
  );

  return [
    header,
    para([""], { after: 240 }),
    ...title,
    para([{ text: t("minutes.sectionTime"), bold: true }]),
    para([t("minutes.time", { time: clockText(t, data.time), day, month, year })], { indent: true }),
    data.venue
      ? para([t("minutes.venue", { place: data.venue })], { indent: true })
      : dottedLine(t("minutes.venue", { place: "" }).replace(/\.$/, "")),
    ...people,
    ...content,
    ...tasks,
    para([""], { after: 0 }),
    ...closing,
    signatures,
  ];
}

/** The .docx file of the minutes, and the name it is sent under. */
export async function meetingMinutesDocx(
  data: MinutesData,
  t: Translate,
): Promise<{ content: Buffer; fileName: string }> {
  const document = new Document({
    creator: data.branchName,
    title: `${t("minutes.title")} ${formatDate(data.date)}`,
    styles: { default: { document: { run: { font: FONT, size: BODY } } } },
    sections: [{ properties: { page: { size: PAGE, margin: MARGIN } }, children: body(data, t) }],
  });
  return { content: await Packer.toBuffer(document), fileName: `bien-ban-sinh-hoat-${data.date}.docx` };
}
