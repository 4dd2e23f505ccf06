import type { ReactNode } from 'react';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  /** Right-aligned figures. */
  readonly numeric?: boolean;
  /** Long text that may wrap (cells stay on one line otherwise). */
  readonly wrap?: boolean;
}

const classOf = (column: Column<never>) =>
  column.numeric === true ? 'numeric' : column.wrap === true ? 'wrap' : undefined;

interface Props<T> {
  readonly caption: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[] | undefined;
  readonly rowKey: (row: T) => string | number;
  /** Shown in place of rows when there are none. */
  readonly empty: ReactNode;
  /** Hide the caption visually (the section's heading already says it). */
  readonly hideCaption?: boolean;
}

/** A data table that scrolls sideways on a narrow screen. */
export function Table<T>({ caption, columns, rows, rowKey, empty, hideCaption = false }: Props<T>) {
  return (
    <div className="table-scroll" tabIndex={0}>
      <table>
        <caption className={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={classOf(column)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows === undefined ? (
            <tr>
              <td colSpan={columns.length} className="empty">
                Loading…
              </td>
            </tr>
          ) : rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.header} className={classOf(column)}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
