/** One registry entry: the HTTP status and the message in each console language. */
export interface ErrorSpec {
  status: number;
  zh: string;
  en: string;
}
