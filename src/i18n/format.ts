// Formatting for people: dates dd/MM/yyyy, months "tháng 3/2026", money "50.000 đ".
import { DateTime } from "luxon";
import type { Locale } from "./index.js";

/** "1980-03-05" -> "05/03/1980". */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  return `${day}/${month}/${year}`;
}

/** An instant as a day in the given zone: dd/MM/yyyy. */
export function formatInstantDate(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("dd/MM/yyyy");
}

/** An instant's time of day in the given zone: HH:mm. */
export function formatClock(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("HH:mm");
}

/** An instant as time and day in the given zone: HH:mm dd/MM/yyyy. */
export function formatInstant(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("HH:mm dd/MM/yyyy");
}

export function formatMonth(year: number, month: number, locale: Locale): string {
  return locale === "vi"
    ? `tháng ${month}/${year}`
    : DateTime.fromObject({ year, month }).setLocale("en").toFormat("LLLL yyyy");
}

/** Whole đồng with dots between thousands: 50000 -> "50.000 đ". */
export function formatMoney(dong: number): string {
  if (!Number.isInteger(dong)) throw new Error(`money must be whole đồng, got ${dong}`);
  const sign = dong < 0 ? "-" : "";
  const digits = String(Math.abs(dong)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${sign}${digits} đ`;
}

/** The Vietnamese report date line: "Xuân Đông, ngày 05 tháng 01 năm 2026". */
export function formatReportDate(place: string, isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  return `${place}, ngày ${day} tháng ${month} năm ${year}`;
}

/** A rate as a percentage with one decimal, Vietnamese style: 0.8684 -> "86,8%". */
export function formatPercent(rate: number, locale: Locale): string {
  const text = (Math.round(rate * 1000) / 10).toFixed(1);
  return `${locale === "vi" ? text.replace(".", ",") : text}%`;
}
