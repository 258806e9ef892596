// Pagination at run time: each pagination kind of the DSL has its module; this table builds a stream's paginator.
import type { PaginationSpec } from '@pullpush/schema';
import { buildComponent, type RuntimeTable } from '../component.ts';
import { cursorPagination } from './cursor.ts';
import { linkPagination } from './link.ts';
import { nextUrlPagination } from './next-url.ts';
import { noPagination } from './none.ts';
import { offsetPagination } from './offset.ts';
import { pagePagination } from './page.ts';
import type { Paginator, PaginatorContext } from './walk.ts';

export type { Observation, Page, PaginationBindings, Paginator, Walk } from './walk.ts';

const PAGINATORS: RuntimeTable<PaginationSpec, PaginatorContext, Paginator> = {
  none: () => noPagination,
  cursor: cursorPagination,
  offset: offsetPagination,
  page: pagePagination,
  link: linkPagination,
  nextUrl: nextUrlPagination,
};

export function createPaginator(spec: PaginationSpec | undefined, context: PaginatorContext): Paginator {
  return spec === undefined ? noPagination : buildComponent(PAGINATORS, spec, context);
}
