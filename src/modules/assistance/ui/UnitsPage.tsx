import { Card } from 'antd';

/** 帮扶单位与责任人: placeholder until its work lands. */
export function UnitsPage() {
  return <Card title="帮扶单位与责任人" />;
}
