// Column types shared by the tables' descriptions: timestamps (read as Date, written as Date or text)
// and JSON (read as its value, written as text).
import type { ColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T> = ColumnType<T, string, string>;
