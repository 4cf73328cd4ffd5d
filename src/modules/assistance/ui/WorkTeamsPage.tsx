import { Card } from 'antd';

/** 驻村工作队: placeholder until its work lands. */
export function WorkTeamsPage() {
  return <Card title="驻村工作队" />;
}
