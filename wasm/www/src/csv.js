// CSV in and out (RFC 4180: comma-separated, double quotes, CRLF or LF).

/** Parses CSV text into `{ header, rows }` (rows are arrays of strings). Throws on an unterminated quote. */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte order mark
  const records = [];
  let record = [], field = '', i = 0, quoted = false, quoteStart = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; quoteStart = i; i++; continue; }
    if (c === ',') { record.push(field); field = ''; i++; continue; }
    if (c === '\n' || c === '\r') {
      record.push(field); field = '';
      records.push(record); record = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if (quoted) {
    const line = text.slice(0, quoteStart).split('\n').length;
    throw new Error(`unterminated quoted field starting on line ${line}`);
  }
  if (field !== '' || record.length) { record.push(field); records.push(record); }
  const nonEmpty = records.filter((r) => !(r.length === 1 && r[0] === ''));
  if (nonEmpty.length === 0) throw new Error(`the file is empty`);
  const [header, ...rows] = nonEmpty;
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      throw new Error(`row ${k + 1} has ${r.length} fields, the header has ${header.length}`);
    }
  });
  return { header: header.map((h) => h.trim()), rows };
}

/** One CSV field, quoted when needed. */
function field(value) {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV text from a header and rows (arrays of values). */
export function toCsv(header, rows) {
  const lines = [header.map(field).join(',')];
  for (const row of rows) lines.push(row.map(field).join(','));
  return lines.join('\n') + '\n';
}
