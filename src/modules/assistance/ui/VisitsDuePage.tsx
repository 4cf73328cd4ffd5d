import { Card } from 'antd';

/** 走访监测: placeholder until its work lands. */
export function VisitsDuePage() {
  return <Card title="走访监测" />;
}
