import { Card } from 'antd';

/** 应享尽享: placeholder until its work lands. */
export function CoveragePage() {
  return <Card title="应享尽享" />;
}
