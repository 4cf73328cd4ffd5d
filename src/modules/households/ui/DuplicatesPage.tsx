/**
 * Likely duplicate people (/households/duplicates, 疑似重复人员): active members of different
 * households with the same name and birth date, or with ID numbers one digit apart, for an officer
 * to review. ID numbers are masked; each pair links to both households.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Card, Table, Tag, Typography } from 'antd';
import type { z } from 'zod';
import type { duplicateCandidateSchema } from '../contract.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';

type Pair = z.infer<typeof duplicateCandidateSchema>;
type Person = Pair['a'];

const T = defineMessages({
  title: { zh: '疑似重复人员', en: 'Likely duplicate people' },
  subtitle: {
    zh: '不同户中姓名和出生日期相同，或证件号码只差一位的在册成员。请核实后更正或注销重复记录。',
    en: 'Active members of different households with the same name and birth date, or ID numbers one digit apart. Check them and correct or remove the duplicate.',
  },
  kind: { zh: '疑似原因', en: 'Why' },
  sameName: { zh: '姓名与出生日期相同', en: 'Same name and birth date' },
  nearId: { zh: '证件号码相差一位', en: 'ID numbers one digit apart' },
  first: { zh: '人员甲', en: 'Person A' },
  second: { zh: '人员乙', en: 'Person B' },
  none: { zh: '没有发现疑似重复人员', en: 'No likely duplicates found' },
});

function PersonCell({ p }: { p: Person }) {
  return (
    <div>
      <Typography.Text strong>{p.name}</Typography.Text> <Typography.Text type="secondary">{p.birthDate}</Typography.Text>
      <div>
        <Typography.Text code>{p.idNumber}</Typography.Text>
      </div>
      <Link to={`/households/${p.householdId}`}>{p.householdNo}</Link>
    </div>
  );
}

export function DuplicatesPage() {
  const { t } = useI18n();
  const [items, setItems] = useState<Pair[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setItems((await get<{ items: Pair[] }>('/households/duplicates', { limit: 500 })).items);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} />
      <Card>
        {error ? (
          <LoadError error={error} onRetry={load} />
        ) : (
          <Table<Pair>
            rowKey={(r) => `${r.kind}:${r.a.memberId}:${r.b.memberId}`}
            loading={items === null}
            dataSource={items ?? []}
            locale={{ emptyText: t(T.none) }}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            columns={[
              { title: t(T.kind), key: 'kind', width: 200, render: (_, r) => <Tag color={r.kind === 'sameNameAndBirthDate' ? 'orange' : 'red'}>{t(r.kind === 'sameNameAndBirthDate' ? T.sameName : T.nearId)}</Tag> },
              { title: t(T.first), key: 'a', render: (_, r) => <PersonCell p={r.a} /> },
              { title: t(T.second), key: 'b', render: (_, r) => <PersonCell p={r.b} /> },
            ]}
          />
        )}
      </Card>
    </>
  );
}
