// The one table of the renderer: our own markup (class "data-table" in a frame that never scrolls sideways when
// its columns allow), sorting, column filters and a search run by TanStack Table, and only the rows in view
// rendered (TanStack Virtual) once a list is long, so a fleet of a thousand services stays quick.
//
// Names for end-to-end tests: the table's accessible name is `label`; each row carries the caller's
// data-testid; a sortable header is a button inside a <th> with aria-sort; a virtualised table has
// data-virtual="true", aria-rowcount (the header row included) and aria-rowindex on each row.
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import type { HTMLAttributes, ReactNode, TdHTMLAttributes } from 'react';
import {
  columnFilteringFeature,
  createFilteredRowModel,
  createSortedRowModel,
  globalFilteringFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import type { ColumnDef, ColumnFiltersState, RowData, SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { compareSortValues } from './tableSort';
import type { SortValue } from './tableSort';
import './DataTable.css';

type DataAttributes = { [name: `data-${string}`]: string | number | boolean | undefined };

export type DataTableCellAttributes = TdHTMLAttributes<HTMLTableCellElement> & DataAttributes;
export type DataTableRowAttributes = HTMLAttributes<HTMLTableRowElement> & DataAttributes;

export interface DataTableColumn<Row> {
  id: string;
  /** The column's name, read by screen readers even when hidden. */
  header: string;
  /** Keeps the name for assistive technology only (e.g. the actions column). */
  hideHeader?: boolean;
  cell(row: Row): ReactNode;
  /** The cell is the row's header (<th scope="row">): the name a screen reader announces with each cell. */
  rowHeader?: boolean;
  /** On the header and on every cell of the column. */
  className?: string;
  cellAttributes?(row: Row): DataTableCellAttributes;
  /** With `fixedLayout`: the column's share of the width, e.g. "14%". */
  width?: string;
  /** Makes the column sortable by this value. */
  sortValue?(row: Row): SortValue;
  /** Newest first, biggest first: the first click sorts descending. */
  sortDescFirst?: boolean;
}

/** A filter on something rows have (an engine, a team, a tag): a row passes when `value` is among its values. */
export interface DataTableFilter<Row> {
  id: string;
  /** undefined or '' for no filter. */
  value?: string;
  values(row: Row): readonly string[];
}

export interface DataTableProps<Row> {
  /** The table's accessible name. */
  label: string;
  rows: readonly Row[];
  columns: DataTableColumn<Row>[];
  rowKey(row: Row): string;
  rowAttributes?(row: Row): DataTableRowAttributes;
  /** A full-width row beneath a row (a test result, a failure's details); undefined for none. */
  detail?(row: Row): ReactNode;
  testId?: string;
  className?: string;
  /** Column widths from `width`, and long words wrap: the table never grows wider than its frame. */
  fixedLayout?: boolean;
  initialSort?: { id: string; desc?: boolean };
  /** Every filter must pass. */
  filters?: DataTableFilter<Row>[];
  /** Case-insensitive text search over `searchText`. */
  search?: string;
  searchText?(row: Row): string;
  /** Shown in the body when no row is left (none at all, or none matching). */
  empty?: ReactNode;
  /** From this many rows shown on, only those in view are in the document. */
  virtualizeFrom?: number;
  /** A row's height before it was measured, for the virtual list. */
  estimatedRowHeight?: number;
  /** Told how many rows the filters and the search leave, whenever that changes. */
  onShownChange?(count: number): void;
}

const FEATURES = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
});
type Features = typeof FEATURES;

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function DataTable<Row extends RowData>(props: DataTableProps<Row>) {
  const { label, rows, columns, rowKey, rowAttributes, detail, testId, className, fixedLayout, initialSort, filters, search, searchText, empty } = props;
  const { virtualizeFrom = 150, estimatedRowHeight = 56 } = props;
  const [sorting, setSorting] = useState<SortingState>(initialSort ? [{ id: initialSort.id, desc: initialSort.desc ?? false }] : []);
  const scrollRef = useRef<HTMLDivElement>(null);

  const definitions = useMemo(() => [...columnDefinitions(columns, Boolean(searchText)), ...filterDefinitions(filters ?? [])], [columns, searchText, filters]);
  const columnFilters = useMemo<ColumnFiltersState>(() => (filters ?? []).flatMap((f) => (f.value ? [{ id: filterColumnId(f.id), value: f.value }] : [])), [filters]);
  const data = useMemo(() => [...rows], [rows]);

  const table = useTable<Features, Row>({
    features: FEATURES,
    data,
    columns: definitions,
    getRowId: (row) => rowKey(row),
    state: { sorting, columnFilters, globalFilter: search?.trim() ?? '' },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
    globalFilterFn: (row, _columnId, value: string) => (searchText ? searchText(row.original).toLowerCase().includes(value.toLowerCase()) : true),
    // The search runs once per row (on the first column), not once per column.
    getColumnCanGlobalFilter: (column) => column.id === columns[0]?.id,
  });

  const shown = table.getRowModel().rows;
  const { onShownChange } = props;
  useEffect(() => onShownChange?.(shown.length), [onShownChange, shown.length]);
  const virtual = shown.length >= virtualizeFrom;
  const virtualizer = useVirtualizer({
    count: virtual ? shown.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimatedRowHeight,
    overscan: 8,
    getItemKey: (index) => shown[index]?.id ?? index,
  });
  const items = virtual ? virtualizer.getVirtualItems() : [];
  const visible = virtual ? items.map((item) => ({ row: shown[item.index]!, index: item.index })) : shown.map((row, index) => ({ row, index }));
  const padTop = virtual && items.length ? items[0]!.start : 0;
  const padBottom = virtual && items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const span = columns.length;

  return (
    <div className={`table-scroll${virtual ? ' table-scroll--virtual' : ''}`} ref={scrollRef}>
      <table
        className={['data-table', fixedLayout ? 'data-table--fixed' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-label={label}
        aria-rowcount={virtual ? shown.length + 1 : undefined}
        data-testid={testId}
        data-virtual={virtual || undefined}
      >
        {fixedLayout && (
          <colgroup>
            {columns.map((c) => (
              <col key={c.id} style={c.width ? { width: c.width } : undefined} />
            ))}
          </colgroup>
        )}
        <thead>
          <tr aria-rowindex={virtual ? 1 : undefined}>
            {columns.map((c) => {
              const column = table.getColumn(c.id);
              const sorted = column?.getCanSort() ? column.getIsSorted() : undefined;
              const name = c.hideHeader ? <span className="visually-hidden">{c.header}</span> : c.header;
              return (
                <th key={c.id} scope="col" className={c.className} aria-sort={sorted === undefined ? undefined : sorted ? ARIA_SORT[sorted] : 'none'}>
                  {sorted === undefined ? (
                    name
                  ) : (
                    <button type="button" className="data-table__sort" onClick={() => column!.toggleSorting(sorted ? sorted === 'asc' : Boolean(c.sortDescFirst))}>
                      {name}
                      <span className="data-table__sort-icon" aria-hidden="true">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                      </span>
                    </button>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <SpacerRow span={span} height={padTop} />}
          {visible.map(({ row, index }) => {
            const extra = detail?.(row.original);
            return (
              <Fragment key={row.id}>
                <tr
                  {...rowAttributes?.(row.original)}
                  data-index={virtual ? index : undefined}
                  aria-rowindex={virtual ? index + 2 : undefined}
                  ref={virtual ? virtualizer.measureElement : undefined}
                >
                  {columns.map((c) => {
                    const Cell = c.rowHeader ? 'th' : 'td';
                    return (
                      <Cell key={c.id} scope={c.rowHeader ? 'row' : undefined} className={c.className} {...c.cellAttributes?.(row.original)}>
                        {c.cell(row.original)}
                      </Cell>
                    );
                  })}
                </tr>
                {extra !== undefined && extra !== null && extra !== false && (
                  <tr className="data-table__detail">
                    <td colSpan={span}>{extra}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
          {padBottom > 0 && <SpacerRow span={span} height={padBottom} />}
          {shown.length === 0 && empty && (
            <tr className="data-table__empty">
              <td colSpan={span}>{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Stands in for the rows above or below the ones in view, so the scroll bar tells the list's true length. */
function SpacerRow({ span, height }: { span: number; height: number }) {
  return (
    <tr className="data-table__spacer" aria-hidden="true">
      <td colSpan={span} style={{ height }} />
    </tr>
  );
}

function columnDefinitions<Row extends RowData>(columns: DataTableColumn<Row>[], searchable: boolean): ColumnDef<Features, Row>[] {
  return columns.map((c) => ({
    id: c.id,
    accessorFn: (row: Row) => c.sortValue?.(row),
    enableSorting: Boolean(c.sortValue),
    sortDescFirst: c.sortDescFirst ?? false,
    sortUndefined: 'last' as const,
    sortFn: (a, b, id) => compareSortValues(a.getValue<SortValue>(id), b.getValue<SortValue>(id)),
    enableColumnFilter: false,
    enableGlobalFilter: searchable,
  }));
}

/** Filters are columns TanStack knows and the markup never shows. */
function filterDefinitions<Row extends RowData>(filters: DataTableFilter<Row>[]): ColumnDef<Features, Row>[] {
  return filters.map((f) => ({
    id: filterColumnId(f.id),
    accessorFn: () => undefined,
    enableSorting: false,
    enableGlobalFilter: false,
    filterFn: (row, _id, value: string) => f.values(row.original).includes(value),
  }));
}

function filterColumnId(id: string): string {
  return `filter:${id}`;
}
