/** The header every page starts with: optional breadcrumb, a title, a subtitle and actions. */
import type { ReactNode } from 'react';
import { Breadcrumb, Flex, Typography } from 'antd';
import type { BreadcrumbProps } from 'antd';

export function PageHeader(props: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode; breadcrumb?: BreadcrumbProps['items'] }) {
  return (
    <div className="fupin-page-header">
      {props.breadcrumb && props.breadcrumb.length > 0 && <Breadcrumb items={props.breadcrumb} style={{ marginBottom: 8 }} />}
      <Flex justify="space-between" align="center" gap={16} wrap>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {props.title}
          </Typography.Title>
          {props.subtitle && (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
              {props.subtitle}
            </Typography.Text>
          )}
        </div>
        {props.extra && <Flex gap={8} wrap>{props.extra}</Flex>}
      </Flex>
    </div>
  );
}
