/** Server-side paging for antd tables: the page state and the Table `pagination` prop built from it. */
import { useState } from 'react';
import type { TablePaginationConfig } from 'antd';

/**
 * @param showTotal renders "共 N 条" in the current language
 * @returns the current page and size (send them as `page`/`pageSize`), `resetPage` for new filters,
 *   and `pagination(total)` for the Table
 */
export function useServerPaging(showTotal: (n: number) => string, initialPageSize = 20) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const pagination = (total: number): TablePaginationConfig => ({
    current: page,
    pageSize,
    total,
    showSizeChanger: true,
    showTotal,
    onChange: (p, s) => {
      setPage(p);
      setPageSize(s);
    },
  });
  return { page, pageSize, resetPage: () => setPage(1), pagination };
}
